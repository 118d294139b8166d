import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SLUG_PATTERN, isValidSlug, slugLength, slugify } from './slug.js';

test('Latin titles: lower case, accents and ligatures folded, elisions split', () => {
  assert.equal(slugify('Réunion thématique sur l’asile et la protection internationale'), 'reunion-thematique-sur-l-asile-et-la-protection-internationale');
  assert.equal(slugify("L'asile"), 'l-asile');
  assert.equal(slugify('Atelier sur la mobilité de la main-d’œuvre'), 'atelier-sur-la-mobilite-de-la-main-d-oeuvre');
  assert.equal(slugify('Jusqu’à la Côte d’Ivoire'), 'jusqu-a-la-cote-d-ivoire');
  assert.equal(slugify('Senior Officials’ Meeting in Abuja'), 'senior-officials-meeting-in-abuja');
  assert.equal(slugify("Women's rights, don't wait"), 'womens-rights-dont-wait');
  assert.equal(slugify('Straße, Æbeltoft, Œuvre, Øresund, Łódź'), 'strasse-aebeltoft-oeuvre-oresund-lodz');
  assert.equal(slugify('Riunione dell’Africa occidentale'), 'riunione-dell-africa-occidentale');
  assert.equal(slugify('Hà Nội — İstanbul'), 'ha-noi-istanbul');
  assert.equal(slugify('  --Rabat 2006!!  '), 'rabat-2006');
  assert.equal(slugify('ﬁnal Ｒｅｐｏｒｔ ²'), 'final-report-2');
});

test('other scripts keep their letters and digits, in NFC, lower-cased where they have case', () => {
  assert.equal(slugify('اجتماع موضوعي حول اللجوء والحماية الدولية'), 'اجتماع-موضوعي-حول-اللجوء-والحماية-الدولية');
  // Optional Arabic vowel marks and the elongation stroke do not change the address.
  assert.equal(slugify('اللُّجُوء'), 'اللجوء');
  assert.equal(slugify('الـلـجـوء'), 'اللجوء');
  assert.equal(slugify('مؤتمر ٢٠١٥'), 'مؤتمر-٢٠١٥');
  // Hamza and madda are letters' parts, not optional vowels.
  assert.equal(slugify('الأورو-أفريقي إلى آخر'), 'الأورو-أفريقي-إلى-آخر');
  assert.equal(slugify('Встреча в Москве'), 'встреча-в-москве');
  assert.equal(slugify('Συνάντηση στην Αθήνα'), 'συνάντηση-στην-αθήνα');
  assert.equal(slugify('이주와 개발'), '이주와-개발');
  assert.equal(slugify('ｶﾞｲﾄﾞ 移民'), 'ガイド-移民');
  assert.equal(slugify('प्रवासन और विकास'), 'प्रवासन-और-विकास');
  // Persian: the zero-width non-joiner inside a word is dropped, not turned into a hyphen.
  assert.equal(slugify('می\u200cخواهیم'), 'میخواهیم');
  const decomposed = 'Й'.normalize('NFD');
  assert.equal(slugify(decomposed), 'й'.normalize('NFC'));
  assert.equal(slugify('Rabat Process: عملية الرباط'), 'rabat-process-عملية-الرباط');
});

test('nothing to keep gives an empty slug', () => {
  assert.equal(slugify(''), '');
  assert.equal(slugify('— !? —'), '');
  assert.equal(slugify('\u0301\u064e'), '');
});

test('length is counted in characters and words are not cut when a hyphen is near', () => {
  const title = 'Thematic meeting on the integration of migration into national development strategies in the region';
  const s = slugify(title, 60);
  assert.equal(s, 'thematic-meeting-on-the-integration-of-migration-into');
  assert.ok(slugLength(s) <= 60);
  // A cut that falls exactly between two words keeps both.
  assert.equal(slugify('aaaa bbbb cccc', 9), 'aaaa-bbbb');
  // One very long word is cut where it must be.
  assert.equal(slugify('a'.repeat(150)), 'a'.repeat(100));
  const arabic = slugify('الحوار الأورو-أفريقي حول الهجرة والتنمية '.repeat(5), 50);
  assert.ok(slugLength(arabic) <= 50 && !arabic.endsWith('-'), arabic);
  assert.ok(arabic.length < Buffer.byteLength(arabic), 'counted in characters, not bytes');
  assert.equal(slugLength('عملية'), 5);
});

test('a valid slug is one slugify would write; every slugify result is valid', () => {
  for (const ok of ['rabat-2006', 'l-asile', 'اجتماع-موضوعي', 'встреча', '2015', 'a']) assert.ok(isValidSlug(ok), ok);
  for (const bad of ['', 'Bad Slug!', 'Rabat', 'réunion', 'double--hyphen', '-start', 'end-', 'with space', 'under_score', 'Встреча', 'اللُّجُوء', 'a/b', 'a%20b']) {
    assert.equal(isValidSlug(bad), false, bad);
  }
  assert.ok(isValidSlug('a'.repeat(120), 120));
  assert.equal(isValidSlug('a'.repeat(121), 120), false);
  for (const title of ['Réunion d’experts', 'اجتماع موضوعي حول اللجوء', 'Встреча в Москве', 'ｶﾞｲﾄﾞ', 'x\u0301\u0302 y', '이주와 개발']) {
    const s = slugify(title);
    assert.ok(isValidSlug(s), `${title} → ${s}`);
    assert.ok(SLUG_PATTERN.test(s), s);
    assert.equal(slugify(s), s, 'slugify is idempotent');
  }
});
