/**
 * `npm run bench:extract`: how long unpdf takes to extract the text of a 100-page PDF, against
 * Debian's `pdftotext` (poppler) on the same file. Both are timed five times (after one untimed
 * run) and the medians compared. It prints figures and never fails on them.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { extractText } from '../src/platform/files/extract.js';
import { makePdf, sampleDir, writeSample } from '../src/platform/files/test-files.js';

const PAGES = 100;
const RUNS = 5;
const run = promisify(execFile);

const ENGLISH = [
  'Delegations reviewed the progress made since the last ministerial conference and agreed that the regional action plan needs clearer milestones for each pillar.',
  'The co-chairs proposed that focal points share their national data before the next thematic meeting, so that the secretariat can prepare a consolidated overview.',
  'Several speakers stressed the value of practical cooperation between border authorities, and asked for a short list of projects that could start within a year.',
];
const FRENCH = [
  'Les délégations ont salué le travail du secrétariat et ont souhaité que le prochain rapport présente des indicateurs précis pour chaque priorité régionale.',
  'La réunion a élaboré une série de recommandations sur l’accueil, la coopération judiciaire et l’échange d’informations entre les États participants.',
  'Il a été convenu de préparer, avant la conférence ministérielle, une synthèse des bonnes pratiques recueillies auprès des points focaux nationaux.',
];

function pageText(n: number): string[] {
  return [`Page ${n}: summary of the discussions / résumé des débats`, ...ENGLISH.map((p) => `${p} (${n})`), ...FRENCH.map((p) => `${p} (${n})`)];
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const dir = await sampleDir('diwan-bench-extract-');
  try {
    const file = await writeSample(dir, 'bench.pdf', await makePdf(Array.from({ length: PAGES }, (_, i) => pageText(i + 1))));
    const check = await extractText(file, 'pdf');
    if (check.pages !== PAGES || !check.text.includes('élaboré')) throw new Error('unexpected extraction result');
    const unpdf = await median(() => extractText(file, 'pdf'));
    const poppler = await median(() => run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 }));
    console.log(`unpdf ${PAGES} pages: ${Math.round(unpdf)} ms; pdftotext: ${Math.round(poppler)} ms; ratio ${(unpdf / poppler).toFixed(2)}x (${check.text.length} characters)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
