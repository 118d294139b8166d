import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fold, indexedTerms, MAX_QUERY, parseQuery, searchable, snippet, terms } from './search.text.js';

test('terms: stop words out, stems per language, accents and case folded', () => {
  assert.deepEqual(terms('Les réunions préparatoires de l’Union', 'fr'), terms('reunion PREPARATOIRE union', 'fr'));
  assert.deepEqual(terms('The meetings on migration', 'en'), terms('meeting migrations', 'en'));
  assert.deepEqual(terms('de la et les', 'fr'), [], 'only stop words');
  // Words whose accent changes what the French stemmer cuts: typed without it, they must match.
  for (const [accented, plain] of [['transfrontalière', 'transfrontaliere'], ['frontières', 'frontieres'], ['sécurité', 'securite'], ['première', 'premiere'], ['élaborée', 'elaboree']]) {
    assert.deepEqual(terms(accented!, 'fr'), terms(plain!, 'fr'), `${accented} and ${plain}`);
  }
  assert.deepEqual(terms("d'Afrique", 'fr'), terms('Afrique', 'fr'), 'an elision is not a word');
  assert.equal(fold('Réunion Ōsaka'), 'reunion osaka');
  assert.deepEqual(terms('الهجرة 2015', 'ar'), ['الهجرة', '2015'], 'a language without a stemmer keeps whole words');
});

test('the index analyses text as a query does, whatever it read before', () => {
  const texts = [
    'Les réunions préparatoires de l’Union africaine, à Rabat et à Dakar',
    'Les re\u0301unions pre\u0301paratoires', // the same words decomposed (NFD)
    'The meetings on migration and mobility, 2015–2025; MIGRATION again',
    'الهجرة 2015 x y',
    `${'a'.repeat(61)} b ${'é'.repeat(30)}`,
    '',
  ];
  // Twice over, so the second pass reads remembered words.
  for (let pass = 0; pass < 2; pass++) {
    for (const text of texts) for (const lang of ['en', 'fr', 'ar']) assert.equal(indexedTerms(text, lang), terms(text, lang).join(' '), `${lang}: ${text.slice(0, 30)}`);
  }
});

test('queries: words, phrases, exclusions, and anything else read as text', () => {
  const q = parseQuery('asile "protection internationale" -maritime', 'fr');
  assert.deepEqual(
    q.parts.map((p) => [p.phrase, p.exclude, p.terms.length]),
    [
      [false, false, 1],
      [true, false, 2],
      [false, true, 1],
    ],
  );
  assert.ok(searchable(q));
  assert.equal(searchable(parseQuery('-maritime', 'en')), false, 'exclusions alone look for nothing');
  for (const odd of ['"unbalanced quote', 'NEAR(a b)', '* ^ :', '\u0000nul', '🙂', '""', "'; drop table x; --"]) {
    const parsed = parseQuery(odd, 'en');
    for (const part of parsed.parts) for (const term of part.terms) assert.match(term, /^[\p{L}\p{N}]+$/u, `only letters and digits reach the database (${odd})`);
  }
  const long = parseQuery('x'.repeat(10_000), 'en');
  assert.equal(long.shortened, true);
  assert.equal(long.text.length, MAX_QUERY);
  assert.equal(parseQuery('a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd'.replace(/\b(\w)\b/g, 'w$1'), 'en').parts.length, 12, 'at most twelve parts');
});

test('snippets: the passage around the first match, matched words marked as written', () => {
  const text = `${'Lorem ipsum dolor. '.repeat(20)}Les réunions préparatoires ont eu lieu à Dakar. ${'Fin du texte. '.repeat(20)}`;
  const pieces = snippet(text, new Set(terms('reunion', 'fr')), 'fr', 12);
  assert.ok(pieces[0]!.text.startsWith('…'));
  assert.deepEqual(pieces.filter((p) => p.mark).map((p) => p.text), ['réunions']);
  assert.ok(pieces.at(-1)!.text.endsWith('…'));
  assert.deepEqual(snippet('Court.', new Set(['absent']), 'fr'), [{ text: 'Court.', mark: false }], 'a short text without a match is shown whole');
});
