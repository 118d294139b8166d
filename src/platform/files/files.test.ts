import assert from 'node:assert/strict';
import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { ExtractionTimeout, extractText, extractTextIsolated, makeThumbnail } from './extract.js';
import { DEFAULT_INSPECT_LIMITS, FileRejected, inspectFile, type FileRefusal } from './inspect.js';
import { cleanFileName } from './names.js';
import {
  ENGLISH_SAMPLE,
  FRENCH_SAMPLE,
  makeDocx,
  makeOdt,
  makePdf,
  makePptx,
  makeXlsx,
  makeZipBombDocx,
  sampleDir,
  writeSample,
  writeSamples,
  type SampleName,
} from './test-files.js';

/** A worker that loops forever, in place of extract-worker.ts. */
const HANGING_WORKER = new URL('./extract-hang.test-support.ts', import.meta.url);

let dir = '';
let samples: Record<SampleName, string>;

before(async () => {
  dir = await sampleDir();
  samples = await writeSamples(dir);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<FileRefusal> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FileRejected, `expected FileRejected, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('expected the file to be rejected');
}

test('each kind is detected by content, with its MIME type and canonical extension', async () => {
  const expected = { pdf: 'pdf', docx: 'docx', pptx: 'pptx', xlsx: 'xlsx', odt: 'odt', jpeg: 'jpg', png: 'png', webp: 'webp' } as const;
  for (const [kind, extension] of Object.entries(expected)) {
    const found = await inspectFile(samples[kind as keyof typeof expected]);
    assert.equal(found.kind, kind);
    assert.equal(found.extension, extension);
  }
  assert.equal((await inspectFile(samples.docx)).mime, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal((await inspectFile(samples.jpeg, { declaredName: 'photo.JPEG' })).kind, 'jpeg');
  assert.equal((await inspectFile(samples.pdf, { declaredName: 'rapport final' })).kind, 'pdf');
});

test('each refusal has its reason', async () => {
  assert.equal(await refusal(inspectFile(samples.empty)), 'empty');
  assert.equal(await refusal(inspectFile(samples.html)), 'html');
  assert.equal(await refusal(inspectFile(samples.svg)), 'svg');
  assert.equal(await refusal(inspectFile(samples.text)), 'unsupported');
  assert.equal(await refusal(inspectFile(samples.truncatedPdf)), 'corrupt');
  assert.equal(await refusal(inspectFile(samples.mismatched, { declaredName: 'report.pdf' })), 'mismatch');
  assert.equal(await refusal(inspectFile(samples.pdf, { declaredName: 'C:\\docs\\minutes.docx' })), 'mismatch');
  const plainZip = await writeSample(dir, 'plain.zip', Buffer.from(zipSync({ 'a.txt': strToU8('hello') })));
  assert.equal(await refusal(inspectFile(plainZip)), 'unsupported');
  const script = await writeSample(dir, 'x.txt', '  <script>alert(1)</script>');
  assert.equal(await refusal(inspectFile(script)), 'html');
});

/** A stand-in for pdftotext: a shell script that answers `-v`, then runs `body` with the real arguments. */
async function fakePdftotext(name: string, body: string): Promise<string> {
  const file = await writeSample(dir, name, `#!/bin/sh\nif [ "$1" = -v ]; then exit 0; fi\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

test('PDF text keeps French accents and counts pages, with pdftotext and with unpdf', async () => {
  const file = await writeSample(dir, 'three.pdf', await makePdf([[FRENCH_SAMPLE, 'Deuxième paragraphe élaboré.'], ['Page deux : à Genève, ça va.'], [ENGLISH_SAMPLE], []]));
  const readers = { pdftotext: {}, unpdf: { pdftotext: false }, 'unpdf (no pdftotext installed)': { pdftotext: path.join(dir, 'no-such-pdftotext') } } as const;
  for (const [reader, options] of Object.entries(readers)) {
    for (const extract of [() => extractText(file, 'pdf', undefined, options), () => extractTextIsolated(file, 'pdf', { timeoutMs: 30_000, ...options })]) {
      const { text, pages } = await extract();
      assert.equal(pages, 4, reader);
      for (const words of ['réunion', 'élaboré', 'coopération', 'Deuxième', 'Genève', 'ça', 'co-chairs']) assert.ok(text.includes(words), `${reader}: ${words} in ${text}`);
      assert.equal(text, text.normalize('NFC'));
      assert.equal(await refusal(extractText(samples.truncatedPdf, 'pdf', undefined, options)), 'corrupt', reader);
    }
  }
});

test('pdftotext is what reads PDFs when it is there; when it refuses a file, unpdf reads it', async () => {
  const pdf = await writeSample(dir, 'fake-read.pdf', await makePdf([['Ce que lit unpdf.']]));
  // Its output is taken as it comes: pages end with a form feed.
  const fake = await fakePdftotext('fake-pdftotext', "printf 'Première page\\f\\fTroisième : réunion\\f'");
  assert.deepEqual(await extractText(pdf, 'pdf', undefined, { pdftotext: fake }), { text: 'Première page\n\nTroisième : réunion', pages: 3, language: null });
  assert.equal((await extractTextIsolated(pdf, 'pdf', { timeoutMs: 30_000, pdftotext: fake })).pages, 3);
  // Copying forbidden (status 3), a structure it cannot open (1), a crash: unpdf decides.
  for (const body of ['exit 3', 'echo "Syntax Error: Couldn\'t read xref table" >&2; exit 1', 'kill -SEGV $$']) {
    const refusing = await fakePdftotext(`refusing-${body.length}`, body);
    assert.deepEqual(await extractText(pdf, 'pdf', undefined, { pdftotext: refusing }), { text: 'Ce que lit unpdf.', pages: 1, language: null }, body);
    assert.equal((await extractTextIsolated(pdf, 'pdf', { timeoutMs: 30_000, pdftotext: refusing })).text, 'Ce que lit unpdf.', body);
  }
  const locked = await fakePdftotext('locked-pdftotext', 'echo "Command Line Error: Incorrect password" >&2; exit 1');
  assert.equal(await refusal(extractText(pdf, 'pdf', undefined, { pdftotext: locked })), 'unsupported');
});

test('a pdftotext that never ends is killed at the timeout', async () => {
  const pdf = await writeSample(dir, 'slow.pdf', await makePdf([['Slow.']]));
  const pidFile = path.join(dir, 'slow.pid');
  const slow = await fakePdftotext('slow-pdftotext', `echo $$ > '${pidFile}'; exec sleep 60`);
  for (const extract of [() => extractText(pdf, 'pdf', undefined, { pdftotext: slow, timeoutMs: 300 }), () => extractTextIsolated(pdf, 'pdf', { pdftotext: slow, timeoutMs: 300 })]) {
    const started = performance.now();
    await assert.rejects(extract(), ExtractionTimeout);
    const took = performance.now() - started;
    assert.ok(took >= 290 && took < 5000, `stopped after ${Math.round(took)} ms`);
    const pid = Number(await readFile(pidFile, 'utf8'));
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the child is gone');
  }
});

test('extraction in a worker gives what extraction in process gives, refusals included', async () => {
  const pdf = await writeSample(dir, 'worker.pdf', await makePdf([[FRENCH_SAMPLE], [ENGLISH_SAMPLE]]));
  for (const [file, kind] of [[pdf, 'pdf'], [samples.docx, 'docx'], [samples.pptx, 'pptx'], [samples.xlsx, 'xlsx'], [samples.odt, 'odt'], [samples.png, 'png']] as const) {
    assert.deepEqual(await extractTextIsolated(file, kind, { timeoutMs: 30_000 }), await extractText(file, kind), kind);
  }
  assert.equal(await refusal(extractTextIsolated(samples.truncatedPdf, 'pdf', { timeoutMs: 30_000 })), 'corrupt');
  const bomb = await writeSample(dir, 'worker-bomb.docx', makeZipBombDocx());
  assert.equal(await refusal(extractTextIsolated(bomb, 'docx', { timeoutMs: 30_000 })), 'zip_bomb');
});

test('a reader that loops forever in its worker is stopped at the timeout, and the process goes on', async () => {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 20);
  try {
    const started = performance.now();
    await assert.rejects(extractTextIsolated(samples.docx, 'docx', { timeoutMs: 400, worker: HANGING_WORKER }), (err: unknown) => err instanceof ExtractionTimeout && err.message === 'text extraction stopped after 0.4 s');
    const took = performance.now() - started;
    assert.ok(took >= 390 && took < 3000, `stopped after ${Math.round(took)} ms`);
    assert.ok(ticks >= 10, `the event loop kept running (${ticks} ticks)`);
  } finally {
    clearInterval(ticker);
  }
});

test('DOCX, PPTX, XLSX and ODT text keeps accents, entities and order', async () => {
  const docx = await writeSample(dir, 'a.docx', makeDocx([FRENCH_SAMPLE, 'R&D <ok>']));
  const d = await extractText(docx, 'docx');
  assert.ok(d.text.includes('réunion a élaboré') && d.text.includes('R&D <ok>'), d.text);
  assert.equal(d.language, 'fr');

  const slides = Array.from({ length: 11 }, (_, i) => `Diapositive ${i + 1} élaborée`);
  const pptx = await writeSample(dir, 'a.pptx', makePptx(slides));
  const p = await extractText(pptx, 'pptx');
  assert.equal(p.pages, 11);
  assert.ok(p.text.indexOf('Diapositive 2 ') < p.text.indexOf('Diapositive 10 '), p.text);

  const xlsx = await writeSample(dir, 'a.xlsx', makeXlsx(['Réunion régionale', 'Genève'], { inline: ['Déclaration écrite'], sheets: 3 }));
  const x = await extractText(xlsx, 'xlsx');
  assert.equal(x.pages, 3);
  for (const words of ['Réunion régionale', 'Genève', 'Déclaration écrite']) assert.ok(x.text.includes(words), x.text);

  const odt = await writeSample(dir, 'a.odt', makeOdt([ENGLISH_SAMPLE, 'Élaboré à Paris']));
  const o = await extractText(odt, 'odt');
  assert.equal(o.pages, null);
  assert.ok(o.text.includes('Élaboré à Paris'), o.text);
  assert.equal(o.language, 'en');

  // Numeric and named entities, as other writers produce them.
  const parts = unzipSync(makePptx(['x']));
  parts['ppt/slides/slide1.xml'] = strToU8(strFromU8(parts['ppt/slides/slide1.xml'] ?? new Uint8Array()).replace('<a:t>x</a:t>', '<a:t>caf&#233; &amp; th&#xE9; &lt;b&gt;</a:t>'));
  const entities = await writeSample(dir, 'entities.pptx', Buffer.from(zipSync(parts)));
  assert.equal((await extractText(entities, 'pptx')).text, 'café & thé <b>');
});

test('text normalisation composes accents (NFC)', async () => {
  const decomposed = 're\u0301union e\u0301labore\u0301e';
  const docx = await writeSample(dir, 'nfd.docx', makeDocx([decomposed]));
  assert.equal((await extractText(docx, 'docx')).text, 'réunion élaborée');
});

test('images give no text and a WebP thumbnail within 480 px, upright', async () => {
  for (const kind of ['jpeg', 'png', 'webp'] as const) {
    assert.deepEqual(await extractText(samples[kind], kind), { text: '', pages: null, language: null });
    const thumb = await makeThumbnail(samples[kind], kind);
    assert.ok(thumb);
    const meta = await sharp(thumb).metadata();
    assert.equal(meta.format, 'webp');
    assert.ok((meta.width ?? 0) <= 480 && (meta.height ?? 0) <= 480);
    if (kind === 'jpeg') assert.deepEqual([meta.width, meta.height], [360, 480]);
  }
  assert.equal(await makeThumbnail(samples.pdf, 'pdf'), null);
  assert.equal(await makeThumbnail(samples.truncatedPdf, 'png'), null);
});

test('zip bombs are refused with bounded memory', async () => {
  const honest = await writeSample(dir, 'bomb.docx', makeZipBombDocx());
  assert.equal(await refusal(inspectFile(honest)), 'zip_bomb');
  assert.equal(await refusal(extractText(honest, 'docx')), 'zip_bomb');

  const liar = await writeSample(dir, 'liar.docx', makeZipBombDocx({ lie: true }));
  assert.equal((await inspectFile(liar)).kind, 'docx');
  const small = { ...DEFAULT_INSPECT_LIMITS, maxUnzippedBytes: 64 * 1024 * 1024 };
  const rss = process.memoryUsage().rss;
  assert.equal(await refusal(extractText(liar, 'docx', small)), 'zip_bomb');
  assert.equal(await refusal(extractText(liar, 'docx')), 'zip_bomb');
  const growth = process.memoryUsage().rss - rss;
  assert.ok(growth < 200 * 1024 * 1024, `rss grew by ${Math.round(growth / 1e6)} MB`);

  assert.equal(await refusal(inspectFile(samples.docx, { limits: { ...DEFAULT_INSPECT_LIMITS, maxZipEntries: 2 } })), 'zip_bomb');
});

test('cleanFileName keeps a safe base name with the right extension', () => {
  assert.equal(cleanFileName('C:\\Users\\x\\Rapport final.pdf', 'pdf'), 'Rapport final.pdf');
  assert.equal(cleanFileName('../../etc/passwd', 'pdf'), 'passwd.pdf');
  assert.equal(cleanFileName('..', 'pdf'), 'document.pdf');
  assert.equal(cleanFileName('', 'docx'), 'document.docx');
  assert.equal(cleanFileName('in\u0000voice\u0007.pdf', 'pdf'), 'invoice.pdf');
  assert.equal(cleanFileName('photo\u202Egpj.exe', 'jpg'), 'photogpj.jpg');
  assert.equal(cleanFileName('...hidden.pdf', 'pdf'), 'hidden.pdf');
  assert.equal(cleanFileName('CON.pdf', 'pdf'), '_CON.pdf');
  assert.equal(cleanFileName('a:b*c?"d<e>f|g.pdf', 'pdf'), 'a_b_c__d_e_f_g.pdf');
  assert.equal(cleanFileName('notes.exe', 'pdf'), 'notes.pdf');
  assert.equal(cleanFileName('facture.pdf.exe', 'pdf'), 'facture.pdf');
  assert.equal(cleanFileName('photo.JPEG', 'jpg'), 'photo.jpg');
  assert.equal(cleanFileName('Compte rendu de la re\u0301union.docx', 'docx'), 'Compte rendu de la réunion.docx');
  assert.equal(cleanFileName('تقرير الاجتماع.pdf', 'pdf'), 'تقرير الاجتماع.pdf');
  const long = cleanFileName(`${'é'.repeat(500)}.pdf`, 'pdf');
  assert.equal([...long].length, 120);
  assert.ok(long.endsWith('é.pdf'));
  assert.equal(cleanFileName('  report . ', 'pdf'), 'report.pdf');
});

test.describe('inspection of hostile zips and damaged images (security review)', () => {
  let hostile: typeof import('./hostile-files.test-support.js');
  before(async () => {
    hostile = await import('./hostile-files.test-support.js');
  });
  /** The FileRejected a promise ends with (its reason and its detail for logs). */
  const rejection = async (promise: Promise<unknown>): Promise<FileRejected> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof FileRejected, `expected FileRejected, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the file to be rejected');
  };
  const noisy = (format: 'png' | 'jpeg') => sharp({ create: { width: 400, height: 300, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })[format]().toBuffer();

  test('entries that share their bytes are refused before anything is inflated, at upload and at extraction', async () => {
    const { handZip, docxParts, emptyDeflate } = hostile;
    // Deflate data that inflates to nothing, named 500 more times: each name would read it again.
    const pad = { name: 'word/pad.xml', data: emptyDeflate(20_000), size: 0 };
    const copies = Array.from({ length: 500 }, (_, i) => ({ name: `word/copy${i}.xml`, data: pad.data, size: 0, sameBytesAs: pad.name }));
    const file = await writeSample(dir, 'overlap.docx', handZip([...docxParts(), pad, ...copies]));
    const started = Date.now();
    assert.equal(await refusal(inspectFile(file)), 'zip_bomb');
    assert.equal(await refusal(extractText(file, 'docx')), 'zip_bomb');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal((await inspectFile(await writeSample(dir, 'no-overlap.docx', handZip([...docxParts(), pad])))).kind, 'docx', 'the same zip without the copies');
  });

  test('an entry offset past anything a file can hold (zip64) is a damaged file, not a server error', async () => {
    const { handZip, deflatedEntry } = hostile;
    for (const zip64Offset of [1n << 62n, 0xffffffffffffffffn, 0xfffffffffn]) {
      const mimetype = { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), size: 39, method: 0 as const, zip64Offset };
      const file = await writeSample(dir, 'far.odt', handZip([deflatedEntry('content.xml', '<x/>'), mimetype]));
      assert.equal(await refusal(inspectFile(file)), 'corrupt', String(zip64Offset));
    }
  });

  test('an end record announcing more entries than allowed is a bomb; one announcing fewer than there are is read no further', async () => {
    const { handZip, docxParts, deflatedEntry } = hostile;
    const entries = [...docxParts(), ...Array.from({ length: 50 }, (_, i) => deflatedEntry(`word/e${i}.xml`, '<x/>'))];
    assert.equal(await refusal(inspectFile(await writeSample(dir, 'announced.docx', handZip(entries, { declaredCount: 20_000 })))), 'zip_bomb');
    const fewer = await rejection(inspectFile(await writeSample(dir, 'fewer.docx', handZip(entries, { declaredCount: 3 }))));
    assert.equal(fewer.reason, 'corrupt');
    assert.match(fewer.detail ?? '', /lists 4 of 3 entries/, 'parsing stops at the first entry too many');
  });

  test('an entry that inflates beyond the size its directory declares is refused as soon as it does', async () => {
    const { deflatedEntry, handZip } = hostile;
    const parts = unzipSync(makePptx(['x']));
    const slide = 'ppt/slides/slide1.xml';
    // Words that do not repeat, so that the honest copy stays within the compression ratio.
    const words = Array.from({ length: 300_000 }, (_, i) => `w${((i * 2654435761) % 1_000_003).toString(36)}`).join(' ');
    const big = strFromU8(parts[slide]!).replace('<a:t>x</a:t>', `<a:t>${words}</a:t>`);
    const build = (lie: boolean) => handZip(Object.entries(parts).map(([name, bytes]) => (name === slide ? { ...deflatedEntry(name, big), ...(lie ? { size: 4096 } : {}) } : deflatedEntry(name, Buffer.from(bytes)))));
    const liar = await writeSample(dir, 'liar.pptx', build(true));
    assert.equal((await inspectFile(liar)).kind, 'pptx', 'its directory looks honest');
    assert.equal(await refusal(extractText(liar, 'pptx')), 'zip_bomb');
    const honest = await writeSample(dir, 'honest.pptx', build(false));
    assert.equal((await extractText(honest, 'pptx')).text, words);
  });

  test('a truncated image, or one whose header promises more pixels than it holds, is refused as damaged', async () => {
    const png = await noisy('png');
    const jpeg = await noisy('jpeg');
    assert.equal((await inspectFile(await writeSample(dir, 'whole.png', png))).kind, 'png');
    assert.equal((await inspectFile(await writeSample(dir, 'whole.jpg', jpeg))).kind, 'jpeg');
    assert.equal(await refusal(inspectFile(await writeSample(dir, 'half.png', png.subarray(0, png.length >> 1)))), 'corrupt');
    assert.equal(await refusal(inspectFile(await writeSample(dir, 'half.jpg', jpeg.subarray(0, jpeg.length >> 1)))), 'corrupt');
    const inflated = Buffer.from(png);
    inflated.writeUInt32BE(4000, 16);
    inflated.writeUInt32BE(3000, 20);
    assert.equal(await refusal(inspectFile(await writeSample(dir, 'promise.png', inflated))), 'corrupt');
    // Phones append data after a JPEG's end (motion photos): still a whole image.
    assert.equal((await inspectFile(await writeSample(dir, 'motion.jpg', Buffer.concat([jpeg, Buffer.alloc(50_000, 7)])))).kind, 'jpeg');
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(50_000, 16);
    bomb.writeUInt32BE(50_000, 20);
    assert.equal(await refusal(inspectFile(await writeSample(dir, 'bomb.png', bomb))), 'too_large', 'judged by the header, before any decoding');
  });

  test('an OpenDocument carrying macros is refused like a Word document with macros', async () => {
    const parts = unzipSync(makeOdt(['Texte']));
    parts['Basic/Standard/Module1.xml'] = strToU8('<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1">Sub Main\nShell("calc")\nEnd Sub</script:module>');
    const withMacros = await writeSample(dir, 'macros.odt', Buffer.from(zipSync(parts)));
    const refused = await rejection(inspectFile(withMacros));
    assert.equal(refused.reason, 'unsupported');
    assert.match(refused.detail ?? '', /macros/);
  });
});
