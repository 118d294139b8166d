/**
 * Imported first by the entry points: on a Node.js older than 22 the SQLite driver crashes the
 * process without a word, so say what to do instead.
 */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
if (NODE_MAJOR < 22) {
  console.error(`[diwan] Diwan needs Node.js 22 or later; this is ${process.version}. \`npm start\` uses the Node.js that \`npm install\` put in node_modules.`);
  process.exit(78);
}
