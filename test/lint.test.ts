/**
 * The module boundaries hold because the linter refuses to cross them: each deliberate violation
 * below is linted as if it were a file of the project, and must be reported.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

test('the platform may not import a module', async () => {
  const found = await problems('src/platform/probe.ts', "import { activitiesModule } from '../modules/activities/index.js';\nexport const m = activitiesModule;\n");
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0]!, /^diwan\/boundaries: src\/platform\/ must not import from src\/modules\//);
});

test("a module may not reach into another module's internals, only its index.ts", async () => {
  const inside = await problems('src/modules/home/probe.ts', "import { cardsFor } from '../activities/activities.service.js';\nexport const f = cardsFor;\n");
  assert.equal(inside.length, 1, inside.join('\n'));
  assert.match(inside[0]!, /through its face: '\.\.\/activities\/index\.js'/);
  assert.deepEqual(await problems('src/modules/home/probe.ts', "import { cardsFor } from '../activities/index.js';\nexport const f = cardsFor;\n"), []);
  assert.deepEqual(await problems('src/modules/activities/probe.ts', "import { cardsFor } from './activities.service.js';\nexport const f = cardsFor;\n"), [], 'a module reads its own files freely');
});

test('only the configuration module reads process.env', async () => {
  const found = await problems('src/modules/home/probe.ts', 'export const port = process.env.PORT;\n');
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0]!, /^no-restricted-properties: .*src\/platform\/config\.ts/);
  assert.deepEqual(await problems('src/platform/config.ts', 'export const port = process.env.PORT;\n'), []);
});
