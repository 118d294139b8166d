// `npm start`: builds dist/ when it is missing or stale, then runs the compiled server with node
// (no TypeScript loader in production).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`[diwan] Diwan needs Node.js 22 or later; this is ${process.version}. Run it with \`npm start\`, which uses the Node.js that \`npm install\` put in node_modules.`);
  process.exit(78);
}
const { ensureBuilt } = await import('./build.mjs');
try {
  await ensureBuilt({ log: (m) => console.log(`[diwan] ${m}`) });
} catch (err) {
  console.error(`[diwan] could not build: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
await import('../dist/main.js');
