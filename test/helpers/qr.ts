import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import sharp from 'sharp';

const run = promisify(execFile);
// jsQR is CommonJS: its function is the module itself, or its default under some loaders.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/**
 * The QR code of the first badge on a PDF's first page, read from its pixels: poppler's pdftoppm
 * renders the page, jsQR decodes the top left part where the first badge sits. Null when none is found.
 */
export async function firstQrValue(pdf: Buffer): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'diwan-qr-'));
  try {
    await writeFile(path.join(dir, 'b.pdf'), pdf);
    await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', path.join(dir, 'b.pdf'), path.join(dir, 'page')]);
    const png = await readFile(path.join(dir, 'page-1.png'));
    const meta = await sharp(png).metadata();
    const { data, info } = await sharp(png)
      .extract({ left: 0, top: 0, width: Math.floor(meta.width! / 2), height: Math.floor(meta.height! / 3) })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
