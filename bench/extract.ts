/**
 * `npm run bench:extract`: how long extractText takes to extract the text of a 100-page PDF (with
 * `pdftotext` when it is installed, as in production, and with unpdf, the fallback), against
 * Debian's `pdftotext` (poppler) alone on the same file. Each is timed five times (after one
 * untimed run) and the medians compared. It prints figures and never fails on them.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { extractText, extractTextIsolated } from '../src/platform/files/extract.js';
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
    const unpdfOnly = { pdftotext: false } as const;
    for (const options of [{}, unpdfOnly]) {
      const check = await extractText(file, 'pdf', undefined, options);
      if (check.pages !== PAGES || !check.text.includes('élaboré')) throw new Error('unexpected extraction result');
    }
    const chars = (await extractText(file, 'pdf')).text.length;
    const unpdfChars = (await extractText(file, 'pdf', undefined, unpdfOnly)).text.length;
    const extract = await median(() => extractText(file, 'pdf'));
    const job = await median(() => extractTextIsolated(file, 'pdf', { timeoutMs: 120_000 }));
    const unpdf = await median(() => extractText(file, 'pdf', undefined, unpdfOnly));
    const unpdfWorker = await median(() => extractTextIsolated(file, 'pdf', { timeoutMs: 120_000, ...unpdfOnly }));
    const poppler = await median(() => run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 }));
    console.log(`pdftotext alone, ${PAGES} pages: ${Math.round(poppler)} ms`);
    console.log(`extractText (pdftotext): ${Math.round(extract)} ms; ratio ${(extract / poppler).toFixed(2)}x (${chars} characters)`);
    console.log(`extractTextIsolated, the extraction job's path (pdftotext, killed at its timeout): ${Math.round(job)} ms; ratio ${(job / poppler).toFixed(2)}x`);
    console.log(`extractText (unpdf fallback, in process): ${Math.round(unpdf)} ms; ratio ${(unpdf / poppler).toFixed(2)}x (${unpdfChars} characters)`);
    console.log(`extractTextIsolated (unpdf fallback, in a worker thread): ${Math.round(unpdfWorker)} ms; ratio ${(unpdfWorker / poppler).toFixed(2)}x`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
