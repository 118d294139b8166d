// ESLint (flat config): typescript-eslint's recommended rules, plus Diwan's module boundaries.
// `npm run lint`; CI runs it. See docs/decisions/0015-module-faces-and-lint.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const isTest = (file) => /\.test(-support)?\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file);

/** Where a file sits: the platform, the composition root, a module (with its name), or elsewhere. */
function place(abs) {
  const rel = path.relative(ROOT, abs).split(path.sep).join('/');
  if (rel.startsWith('src/platform/')) return { layer: 'platform', rel };
  if (rel.startsWith('src/app/')) return { layer: 'app', rel };
  const m = /^src\/modules\/([^/]+)\/(.*)$/.exec(rel);
  if (m) return { layer: 'module', module: m[1], inner: m[2], rel };
  return { layer: 'other', rel };
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'The platform imports no module; a module imports another only through its index.ts; only the entry points and tests import the composition root.' },
    messages: {
      platformToModule: 'src/platform/ must not import from src/modules/ ({{target}}): modules plug into the platform through src/app/modules.ts.',
      platformToApp: 'src/platform/ must not import the composition root ({{target}}).',
      moduleInternals: "Import another module only through its face: '{{suggestion}}' (not {{target}}).",
      moduleToApp: 'A module must not import the composition root ({{target}}); take what you need from the platform or another module\'s index.ts.',
    },
    schema: [],
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename;
    const from = place(file);
    if (from.layer === 'other') return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = place(path.resolve(path.dirname(file), spec));
      const data = { target: to.rel };
      if (from.layer === 'platform' && to.layer === 'module') context.report({ node, messageId: 'platformToModule', data });
      else if (from.layer === 'platform' && to.layer === 'app' && !isTest(file)) context.report({ node, messageId: 'platformToApp', data });
      else if (from.layer === 'module' && to.layer === 'app' && !isTest(file)) context.report({ node, messageId: 'moduleToApp', data });
      else if (from.layer === 'module' && to.layer === 'module' && to.module !== from.module && !/^index\.(js|ts)$/.test(to.inner)) {
        const suggestion = path.relative(path.dirname(file), path.join(ROOT, 'src/modules', to.module, 'index.js')).split(path.sep).join('/');
        context.report({ node, messageId: 'moduleInternals', data: { ...data, suggestion } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.ci/', 'data/', 'src/platform/assets/editor/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', structuredClone: 'readonly' } },
    plugins: { diwan: { rules: { boundaries } } },
    rules: {
      'diwan/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Kysely's migrations are written against the database as it was then: `Kysely<any>` is the idiom.
    files: ['src/migrations/**/*.ts', 'src/**/*.test-support.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Configuration is read in one place: src/platform/config.ts.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/config.ts', 'src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/*.test-support.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through src/platform/config.ts (loadConfig), not process.env.' }],
    },
  },
  {
    // Browser code of the back-office editor.
    files: ['src/platform/assets/editor/**/*.ts'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', HTMLElement: 'readonly', HTMLTextAreaElement: 'readonly', HTMLFormElement: 'readonly', prompt: 'readonly' } },
  },
);
