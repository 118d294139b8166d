import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../platform/i18n/i18n.js';
import type { FrameworkNode } from '../framework/index.js';
import { presentActivityDetail, shownStatus, type ActivityDetailSource } from './activities.presenter.js';
import type { ActivityRow, TranslationRow } from './activities.repository.js';
import './activities.catalogue.js';
import '../framework/index.js';

const row = (over: Partial<ActivityRow> = {}): ActivityRow => ({
  id: 7,
  type: 'thematic_meeting',
  status: 'held',
  start_date: '2015-06-15',
  end_date: '2015-06-16',
  date_precision: 'day',
  format: 'hybrid',
  country_code: 'MA',
  host_country_code: null,
  host_organisation_id: 3,
  participants: 120,
  participants_qualifier: 'over',
  countries_count: 50,
  countries_qualifier: 'nearly',
  organisations_count: null,
  organisations_qualifier: null,
  gallery_url: 'https://example.org/photos',
  published_at: '2015-06-20T10:00:00.000Z',
  updated_at: '2024-01-01T00:00:00.000Z',
  ...over,
});

const tr = (lang: string, over: Partial<TranslationRow> = {}): TranslationRow => ({
  activity_id: 7,
  lang,
  title: lang === 'fr' ? 'Réunion sur l’asile' : 'Meeting on asylum',
  slug: lang === 'fr' ? 'reunion-asile' : 'meeting-asylum',
  summary: lang === 'fr' ? 'Résumé.' : 'Summary.',
  narrative_html: '<p>Text.</p>',
  city: 'Rabat',
  venue: 'Sofitel',
  ...over,
});

const frameworks: FrameworkNode[] = [
  {
    id: 1,
    code: 'rome-2014',
    name: 'Rome Declaration and Programme',
    shortName: 'Rome Programme',
    periodStart: 2015,
    periodEnd: 2017,
    themes: [
      { id: 10, code: 'rome-2014.p4', level: 'pillar', number: '4', name: 'International protection', depth: 0, parentId: null, frameworkId: 1 },
      { id: 11, code: 'rome-2014.p4.o1', level: 'objective', number: '4.1', name: 'Asylum systems', depth: 1, parentId: 10, frameworkId: 1 },
    ],
  },
];

function source(over: Partial<ActivityDetailSource> = {}): ActivityDetailSource {
  return {
    row: row(),
    translations: [tr('en'), tr('fr')],
    coChairs: [{ country_code: 'MA', organisation_id: null }, { country_code: null, organisation_id: 4 }, { country_code: null, organisation_id: 99 }],
    themes: [{ id: 11, code: 'rome-2014.p4.o1', level: 'objective', number: '4.1', framework_id: 1 }],
    frameworks,
    documents: [
      { type: 'agenda', url: 'https://example.org/agenda.pdf', lang: 'fr', size_bytes: 1_234_567, mime: 'application/pdf', titles: { fr: 'Ordre du jour', en: 'Agenda' } },
      { type: 'final_report', url: null, lang: 'mul', size_bytes: null, mime: null, titles: {} },
    ],
    related: [{ row: row({ id: 8, type: 'roundtable', format: 'in_person', host_organisation_id: null }), translations: [{ ...tr('en'), activity_id: 8, slug: 'roundtable' }] }],
    lookups: {
      countries: new Map([['MA', 'Morocco']]),
      organisations: new Map([
        [3, { code: 'ecowas', name: 'Economic Community of West African States', abbr: 'ECOWAS' }],
        [4, { code: 'iom', name: 'International Organization for Migration', abbr: 'IOM' }],
      ]),
      today: '2026-12-07',
    },
    ...over,
  };
}

const options = { defaultLanguage: 'en', languages: ['en', 'fr'] };

test('the detail is plain data: it survives a JSON round trip unchanged', () => {
  const view = presentActivityDetail(source(), translator('en'), options);
  assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
  const hasFunction = (v: unknown): boolean => typeof v === 'function' || (typeof v === 'object' && v !== null && Object.values(v).some(hasFunction));
  assert.equal(hasFunction(view), false);
});

test('every field the page shows, in the reader’s language', () => {
  const v = presentActivityDetail(source(), translator('en'), options);
  assert.equal(v.title, 'Meeting on asylum');
  assert.equal(v.textLang, 'en');
  assert.equal(v.translated, true);
  assert.deepEqual(v.slugs, { en: 'meeting-asylum', fr: 'reunion-asile' });
  assert.deepEqual(v.titles, { en: 'Meeting on asylum', fr: 'Réunion sur l’asile' });
  assert.deepEqual(v.languages, ['en', 'fr']);
  assert.deepEqual(v.alternates, { en: '/en/activities/meeting-asylum', fr: '/fr/activities/reunion-asile' });
  assert.deepEqual(v.dates, { start: '2015-06-15', end: '2015-06-16', precision: 'day', text: '15–16 June 2015', startIso: '2015-06-15', endIso: '2015-06-16' });
  assert.deepEqual(v.place, { text: 'Rabat, Morocco', city: 'Rabat', venue: 'Sofitel', country: { code: 'MA', name: 'Morocco' } });
  assert.deepEqual(v.type, { code: 'thematic_meeting', label: 'Thematic meeting' });
  assert.deepEqual(v.status, { code: 'held', label: 'Held' });
  assert.deepEqual(v.format, { code: 'hybrid', label: 'Hybrid' });
  assert.deepEqual(v.host, { kind: 'organisation', code: 'ecowas', name: 'Economic Community of West African States', abbr: 'ECOWAS', label: 'Economic Community of West African States (ECOWAS)' });
  // An organisation the directory no longer names is left out rather than shown blank.
  assert.deepEqual(v.coChairs.map((c) => [c.kind, c.code, c.label]), [['country', 'MA', 'Morocco'], ['organisation', 'iom', 'International Organization for Migration (IOM)']]);
  assert.deepEqual(v.themes, [
    {
      code: 'rome-2014.p4.o1',
      level: 'objective',
      levelLabel: 'Objective',
      number: '4.1',
      name: 'Asylum systems',
      label: 'Objective 4.1: Asylum systems',
      href: '/en/activities?theme=rome-2014.p4.o1',
      framework: { code: 'rome-2014', name: 'Rome Programme' },
      ancestors: ['International protection'],
    },
  ]);
  assert.deepEqual(v.figures, [
    { kind: 'participants', value: 120, qualifier: 'over', text: 'Over 120 participants' },
    { kind: 'countries', value: 50, qualifier: 'nearly', text: 'nearly 50 countries' },
  ]);
  assert.deepEqual(v.documents[0], { type: 'agenda', typeLabel: 'Agenda', title: 'Agenda', titles: { fr: 'Ordre du jour', en: 'Agenda' }, lang: 'fr', langLabel: 'French', url: 'https://example.org/agenda.pdf', sizeBytes: 1_234_567, sizeText: '1.2 MB', mime: 'application/pdf' });
  assert.equal(v.documents[1]!.title, 'Final report', 'an untitled document is named by its type');
  assert.equal(v.documents[1]!.langLabel, 'several languages');
  assert.equal(v.documents[1]!.sizeText, null);
  assert.equal(v.narrativeHtml, '<p>Text.</p>');
  assert.equal(v.galleryUrl, 'https://example.org/photos');
  assert.equal(v.related.length, 1);
  assert.equal(v.related[0]!.href, '/en/activities/roundtable');
  assert.equal(v.related[0]!.typeLabel, 'Roundtable');
  assert.equal(v.publishedAt, '2015-06-20T10:00:00.000Z');
});

test('in French: labels, dates and sizes in French; a missing translation falls back with its language named', () => {
  const fr = presentActivityDetail(source(), translator('fr'), options);
  assert.equal(fr.title, 'Réunion sur l’asile');
  assert.equal(fr.dates.text, '15–16 juin 2015');
  assert.equal(fr.documents[0]!.title, 'Ordre du jour');
  assert.equal(fr.documents[0]!.sizeText, '1,2\u202fMo', 'French sets its units off with a narrow no-break space');
  assert.equal(fr.figures[0]!.text, 'Plus de 120 participants');
  assert.equal(fr.themes[0]!.href, '/fr/activities?theme=rome-2014.p4.o1');

  const onlyEnglish = presentActivityDetail(source({ translations: [tr('en')] }), translator('fr'), options);
  assert.equal(onlyEnglish.textLang, 'en');
  assert.equal(onlyEnglish.translated, false);
  assert.equal(onlyEnglish.textLangLabel, 'anglais');
  assert.equal(onlyEnglish.title, 'Meeting on asylum');
  assert.deepEqual(onlyEnglish.languages, ['en']);
  assert.deepEqual(onlyEnglish.alternates, { en: '/en/activities/meeting-asylum' });
});

test('the fallback is the configured default language, and unpublished languages are not offered', () => {
  const t = [tr('en'), tr('fr'), tr('es', { title: 'Reunión sobre el asilo', slug: 'reunion-asilo' })];
  const v = presentActivityDetail(source({ translations: t }), translator('en'), { defaultLanguage: 'fr', languages: ['fr', 'en'] });
  assert.deepEqual(v.languages, ['fr', 'en']);
  assert.equal(v.slugs.es, 'reunion-asilo', 'every translation keeps its slug');
  assert.equal(v.alternates.es, undefined);
  const spanishReader = presentActivityDetail(source({ translations: [tr('es'), tr('fr')] }), translator('en'), { defaultLanguage: 'fr', languages: ['fr', 'en'] });
  assert.equal(spanishReader.textLang, 'fr');
});

test('a virtual activity with nothing else known is "Online"; no host gives null', () => {
  const v = presentActivityDetail(
    source({ row: row({ format: 'virtual', country_code: null, host_organisation_id: null, participants: null, countries_count: null }), translations: [tr('en', { city: null, venue: null })], coChairs: [] }),
    translator('en'),
    options,
  );
  assert.equal(v.place.text, 'Online');
  assert.equal(v.place.country, null);
  assert.equal(v.host, null);
  assert.deepEqual(v.figures, []);
});

test('a meeting still marked planned or announced after its last possible day is shown as held; one to come keeps its status', () => {
  const at = (status: string, start: string, end: string | null, precision: string) => shownStatus({ status, start_date: start, end_date: end, date_precision: precision }, '2026-12-07');
  assert.equal(at('announced', '2021-10-04', '2021-10-05', 'day'), 'held');
  assert.equal(at('planned', '2022-05', null, 'month'), 'held');
  assert.equal(at('announced', '2026-12', null, 'month'), 'announced', 'its month is not over');
  assert.equal(at('announced', '2026', null, 'year'), 'announced');
  assert.equal(at('announced', '2026-12-06', '2026-12-07', 'day'), 'announced', 'its last day is today');
  assert.equal(at('cancelled', '2021-10-04', null, 'day'), 'cancelled');
  assert.equal(at('postponed', '2021-10-04', null, 'day'), 'postponed');
});
