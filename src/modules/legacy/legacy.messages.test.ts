import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../platform/i18n/i18n.js';
import { legacyMessageEn, parseLegacyMessage, translateLegacyMessage } from './legacy.messages.js';
import './legacy.catalogue.js';

test('a message renders in English exactly as the importer prints it, and reads back into its code and values', () => {
  const text = legacyMessageEn('legacy.msg.place.usuallyIn', { city: 'Rabat', known: 'MA', country: 'ES' });
  assert.equal(text, 'place: Rabat is usually in MA, the page says ES');
  assert.deepEqual(parseLegacyMessage(text), { code: 'legacy.msg.place.usuallyIn', values: { city: 'Rabat', known: 'MA', country: 'ES' } });
  assert.equal(translateLegacyMessage(translator('en'), text).text, text);
  assert.equal(parseLegacyMessage('something the catalogue does not know'), null);
});

test('stored lines are shown in French, nested reasons included; unknown lines stay as written', () => {
  const fr = translator('fr');
  assert.deepEqual(translateLegacyMessage(fr, 'host: the page names no host'), { text: 'Hôte\u00a0: la page ne nomme aucun hôte', translated: true });
  assert.equal(translateLegacyMessage(fr, 'plan: no date: an activity cannot be recorded without its date').text, 'plan\u00a0: pas de date\u00a0: une activité ne peut être enregistrée sans sa date');
  assert.equal(translateLegacyMessage(fr, 'co-chairs').text, 'coprésidence');
  assert.equal(translateLegacyMessage(fr, 'documents (+2)').text, 'documents (+2)');
  assert.deepEqual(translateLegacyMessage(fr, 'Madrid centro'), { text: 'Madrid centro', translated: false });
  for (const line of ['participants (improved: confidence 0.5 → 0.8)', 'date: "15 and 16 May" has no year and the page gives none; left empty', 'conflict: the page says participants over 60, the record keeps exact 64']) {
    assert.ok(parseLegacyMessage(line), line);
    assert.equal(translateLegacyMessage(translator('en'), line).text, line);
  }
});
