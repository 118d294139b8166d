import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { translator } from '../i18n/i18n.js';
import { checkForm, formErrors, inSentence, problem, says } from './validation.js';

const schema = z
  .object({
    name: z.string().min(1, says('form.error.required')).max(5, says('form.error.tooLong')),
    code: z.string().regex(/^[A-Z]{2}$/, 'an English sentence from zod'),
  })
  .superRefine((v, ctx) => problem(ctx, ['name'], 'form.error.required'), { when: () => true });

test('issues become one message per field, from catalogue keys, with the field and the limit filled in', async () => {
  const fr = translator('fr');
  const r = await checkForm(schema, { name: 'abcdefg', code: 'x' }, fr, { label: (f) => (f === 'name' ? 'Nom affiché' : 'Code'), order: ['code', 'name'] });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors, [
    { field: 'code', message: 'Vérifiez le champ « code » : sa forme n’est pas celle attendue' },
    { field: 'name', message: 'Le champ « nom affiché » doit compter au plus 5 caractères' },
  ]);
});

test('a message whose values are missing falls back to the generic one instead of throwing', () => {
  const parsed = z.object({ doc: z.string().min(1, says('editorial.slugTaken')) }).safeParse({ doc: '' });
  assert.ok(!parsed.success);
  assert.deepEqual(formErrors(parsed.error, translator('en')), [{ field: 'doc', message: 'Check the doc: it is not in the expected form' }]);
});

test('labels inside sentences lose only a leading capital', () => {
  assert.equal(inSentence('Title (English)', 'en'), 'title (English)');
  assert.equal(inSentence('URL of the page', 'en'), 'URL of the page');
  assert.equal(inSentence('Électricité', 'fr'), 'électricité');
});

test('a valid form gives the schema output', async () => {
  const ok = await checkForm(z.object({ n: z.string().transform(Number) }), { n: '4' }, translator('en'));
  assert.deepEqual(ok, { ok: true, data: { n: 4 }, errors: [] });
});
