/**
 * File names as users send them are untrusted text: they carry client paths, control and bidi
 * characters (an RTL override turns "cod.exe.pdf" into something else on screen), names Windows
 * will not save, and whatever extension the sender liked. `cleanFileName` makes the name Diwan
 * shows and offers for download, keeping the letters of every script.
 */

/** Longest cleaned name, extension included (characters). */
export const MAX_FILE_NAME_LENGTH = 120;

/** Characters Windows or a Content-Disposition header would choke on. */
const RESERVED_CHARACTERS = /[/\\:*?"<>|]/g;
/** Controls, lone surrogates, bidi embeddings, overrides, isolates and marks, and other invisible format characters (but not the joiners Persian and Indic scripts need). */
const INVISIBLE = /[\p{Cc}\p{Cs}]|(?![\u200C\u200D])\p{Cf}/gu;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const EXTENSION = /\.([a-z][a-z0-9]{0,4})$/i;

/**
 * A safe display and download name for a user's file: its base name only, NFC, without control
 * or bidi characters, reserved characters replaced, no leading dots, at most 120 characters, and
 * ending in `.${extension}` (the detected kind's, replacing any other); `document.${extension}`
 * when nothing usable is left.
 */
export function cleanFileName(name: string, extension: string): string {
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin';
  let base = baseName(String(name))
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/g, ' ');
  base = stripExtension(trimEnds(base), ext);
  base = truncate(trimEnds(base), MAX_FILE_NAME_LENGTH - ext.length - 1);
  base = trimEnds(base);
  if (base === '' || /^[._ -]+$/.test(base)) base = 'document';
  if (WINDOWS_DEVICE.test(base.split('.')[0] ?? '')) base = `_${base}`;
  return `${base}.${ext}`;
}

/** The last segment of a Windows or POSIX path; '.' and '..' are not names. */
function baseName(name: string): string {
  const segments = name.split(/[/\\]/).filter((s) => s.trim() !== '' && s.trim() !== '.' && s.trim() !== '..');
  return segments.at(-1) ?? '';
}

/** Dots and spaces at either end: hidden files on Unix, silently dropped on Windows. */
function trimEnds(value: string): string {
  return value.replace(/^[\s.]+|[\s.]+$/g, '');
}

/** Removes the name's own extension (any), and the wanted one if it was doubled (`a.pdf.exe`). */
function stripExtension(base: string, ext: string): string {
  const same = (found: string) => found === ext || (['jpg', 'jpeg'].includes(found) && ['jpg', 'jpeg'].includes(ext));
  const first = EXTENSION.exec(base);
  if (!first?.[1]) return base;
  let rest = base.slice(0, -first[0].length);
  if (!same(first[1].toLowerCase())) {
    const second = EXTENSION.exec(rest);
    if (second?.[1] && same(second[1].toLowerCase())) rest = rest.slice(0, -second[0].length);
  }
  return rest;
}

/** At most `max` characters, cut between graphemes so no accent or surrogate pair is split. */
function truncate(value: string, max: number): string {
  if ([...value].length <= max) return value;
  let out = '';
  let length = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value)) {
    const size = [...segment].length;
    if (length + size > max) break;
    out += segment;
    length += size;
  }
  return out;
}
