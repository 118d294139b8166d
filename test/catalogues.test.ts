/**
 * Every value of a closed list that a page names through a catalogue key (`t(\`type.${value}\`)`
 * and the like) must have that message in every registered catalogue: a missing one would print
 * nothing, or the key, in one language only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogueLanguages, catalogueOf, translator } from '../src/platform/i18n/i18n.js';
// Every module registers its catalogue when it is imported, as the application does.
import '../src/app/modules.js';
import { SUPPORTED_UI_LANGUAGES } from '../src/platform/config.js';
import { ACTIVITY_FORMATS, ACTIVITY_STATUSES, ACTIVITY_TYPES, DATE_PRECISIONS, DOCUMENT_TYPES, FIGURE_QUALIFIERS, FILTER_KEYS } from '../src/modules/activities/activities.schemas.js';
import { WORKFLOW_STATES } from '../src/modules/activities/activities.editor.js';
import { USER_STATUSES } from '../src/modules/auth/users.commands.js';
import { COUNTRY_REGIONS, COUNTRY_STATUSES, ORGANISATION_KINDS } from '../src/modules/directory/directory.schemas.js';
import { THEME_LEVELS } from '../src/modules/framework/framework.schemas.js';
import { PAGE_LANGUAGES } from '../src/modules/legacy/legacy.text.js';
import { ERROR_KINDS } from '../src/platform/http/errors.js';

const json = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as unknown;
const roles = (json('../src/modules/auth/data/roles.json') as { code: string }[]).map((r) => r.code);
const frameworks = json('../src/modules/framework/data/frameworks.json') as { themes: Theme[] }[];
type Theme = { level: string; children?: Theme[] };
const levelsInUse = new Set<string>();
const walk = (themes: Theme[]) => themes.forEach((t) => (levelsInUse.add(t.level), walk(t.children ?? [])));
frameworks.forEach((f) => walk(f.themes));

/** Message prefix → the values a page may put after it (and where the page is). */
const LISTS: Record<string, readonly string[]> = {
  'type.': ACTIVITY_TYPES, // cards, activity page, filters, back-office list and form
  'status.': ACTIVITY_STATUSES, // cards, activity page, back-office form
  'format.': ACTIVITY_FORMATS, // cards, activity page, filters, back-office form
  'activityAdmin.precision.': DATE_PRECISIONS, // back-office form, import review
  'activityAdmin.qualifier.': FIGURE_QUALIFIERS, // back-office form, import review
  'doctype.': DOCUMENT_TYPES, // activity page documents, back-office form
  'workflow.': WORKFLOW_STATES, // back-office lists, dashboard, pages
  'role.': roles, // accounts list and form
  'users.status.': USER_STATUSES, // accounts list and form
  'level.': [...new Set([...THEME_LEVELS, ...levelsInUse])], // themes on the activity page, filters, reference data
  'countryStatus.': COUNTRY_STATUSES, // reference data
  'region.': COUNTRY_REGIONS, // reference data
  'orgKind.': ORGANISATION_KINDS, // reference data
  'list.invalid.': [...FILTER_KEYS, 'page'], // the list's error notice
  'error.': ERROR_KINDS.flatMap((k) => [`${k}.title`, `${k}.body`]), // error pages
  // The language of a text, a document or an account: every interface language, every language
  // the importer reads content in, and documents in several languages.
  'lang.': [...new Set([...catalogueLanguages(), ...PAGE_LANGUAGES, 'mul'])],
};

test('the catalogues registered are the interface languages LANGUAGES may name', () => {
  assert.deepEqual([...SUPPORTED_UI_LANGUAGES], catalogueLanguages());
  assert.ok(catalogueLanguages().includes('en') && catalogueLanguages().includes('fr'));
});

for (const lang of catalogueLanguages()) {
  test(`every listed value has its message in the ${lang} catalogue`, () => {
    const catalogue = catalogueOf(lang)!;
    const missing: string[] = [];
    for (const [prefix, values] of Object.entries(LISTS)) {
      for (const value of values) {
        const text = catalogue[`${prefix}${value}`];
        if (typeof text !== 'string' || !text.trim()) missing.push(`${prefix}${value}`);
      }
    }
    assert.deepEqual(missing, [], `missing in ${lang}`);
  });

  test(`every figure qualifier reads differently from a counted figure in ${lang}`, () => {
    const tr = translator(lang);
    for (const key of ['figure.participants', 'figure.countries', 'figure.organisations'] as const) {
      const counted = tr.t(key, { count: 40, qualifier: 'exact' });
      const texts = FIGURE_QUALIFIERS.map((qualifier) => tr.t(key, { count: 40, qualifier }));
      assert.equal(new Set(texts).size, FIGURE_QUALIFIERS.length, `${key}: ${texts.join(' / ')}`);
      assert.ok(counted.includes(tr.number(40)), counted);
    }
  });
}
