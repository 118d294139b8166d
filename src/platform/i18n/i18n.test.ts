import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { formatDateRange, isoAtPrecision } from './dates.js';
import { catalogueOf, registerMessages, translator } from './i18n.js';
// Every module's catalogue, as the running application registers them.
import '../../app/modules.js';

const en: Record<string, string> = { ...catalogueOf('en') };
const fr: Record<string, string> = { ...catalogueOf('fr') };

function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date) out.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      out.add(el.value);
      for (const opt of Object.values(el.options)) argumentsOf(opt.value, out);
    }
  }
  return out;
}

test('every English message exists in French with the same placeholders, and parses', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.ok(fr[key], key);
    const a = argumentsOf(parse(en[key] ?? ""));
    const b = argumentsOf(parse(fr[key] ?? ''));
    assert.deepEqual([...b].sort(), [...a].sort(), key);
  }
});

test('French plurals use the CLDR many category for a million', () => {
  const t = translator('fr');
  assert.equal(t.t('list.count', { count: 0 }), 'Aucune activité trouvée');
  assert.equal(t.t('list.count', { count: 1 }), '1 activité trouvée');
  assert.equal(t.t('list.count', { count: 2 }), '2 activités trouvées');
  assert.equal(t.t('list.count', { count: 1_000_000 }), '1\u202f000\u202f000 d’activités trouvées');
  assert.equal(translator('en').t('list.count', { count: 1 }), '1 activity found');
  assert.equal(translator('en').t('list.count', { count: 1500 }), '1,500 activities found');
});

test('participation figures keep their qualifier in each language', () => {
  assert.equal(translator('en').t('figure.participants', { qualifier: 'over', count: 120 }), 'Over 120 participants');
  assert.equal(translator('en').t('figure.countries', { qualifier: 'nearly', count: 50 }), 'nearly 50 countries');
  assert.equal(translator('en').t('figure.countries', { qualifier: 'exact', count: 1 }), '1 country');
  assert.equal(translator('fr').t('figure.participants', { qualifier: 'over', count: 120 }), 'Plus de 120 participants');
  assert.equal(translator('fr').t('figure.countries', { qualifier: 'nearly', count: 50 }), 'près de 50 pays');
  assert.equal(translator('fr').t('figure.organisations', { qualifier: 'around', count: 12 }), 'environ 12 organisations');
});

test('dates are written at their precision, the way each language writes a range', () => {
  assert.equal(formatDateRange('2015-06-15', '2015-06-16', 'day', 'en'), '15–16 June 2015');
  assert.equal(formatDateRange('2015-06-15', '2015-06-16', 'day', 'fr'), '15–16 juin 2015');
  assert.match(formatDateRange('2016-11-30', '2016-12-01', 'day', 'en'), /^30 November\s–\s1 December 2016$/);
  assert.match(formatDateRange('2016-11-30', '2016-12-01', 'day', 'fr'), /^30 novembre\s–\s1 décembre 2016$/);
  assert.match(formatDateRange('2024-12-31', '2025-01-01', 'day', 'en'), /31 December 2024\s–\s1 January 2025/);
  assert.equal(formatDateRange('2014-11-27', '2014-11-27', 'day', 'fr'), '27 novembre 2014');
  assert.equal(formatDateRange('2008-03', null, 'month', 'en'), 'March 2008');
  assert.equal(formatDateRange('2008-03', null, 'month', 'fr'), 'mars 2008');
  assert.equal(formatDateRange('2012', null, 'year', 'fr'), '2012');
  assert.equal(isoAtPrecision('2015-06-15', 'month'), '2015-06');
});

test('a module must give every interface language, and may not take another owner\'s key', () => {
  assert.throws(() => registerMessages('broken', { en: { 'broken.x': 'X' } }), /broken: no fr messages/);
  assert.throws(() => registerMessages('thief', { en: { 'form.save': 'Save' }, fr: { 'form.save': 'Enregistrer' } }), /belongs to platform/);
});
