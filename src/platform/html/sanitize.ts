import { Parser } from 'htmlparser2';
import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'a', 'h2', 'h3', 'h4', 'blockquote'],
  allowedAttributes: { a: ['href', 'hreflang', 'lang', 'rel'], '*': ['lang'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Every link tells the browser to give the page it opens no hold on ours and no referrer (what an
  // editor wrote in rel is replaced).
  transformTags: { b: 'strong', i: 'em', a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }) },
  // Editors leave empty paragraphs behind (a trailing Enter); they carry nothing.
  exclusiveFilter: (frame) => frame.tag === 'p' && !frame.text.trim(),
};

let sanitizer: typeof sanitizeHtml | undefined;

/** Cleans rich text against the narrative allow-list: structure and links only, no scripts, styles or events. */
export function sanitizeRichText(html: string): string {
  // Loaded on the first save: a server that only reads never pays for it (and its CSS parser).
  sanitizer ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtml;
  return sanitizer(html, OPTIONS).trim();
}

const BREAKS = new Set(['p', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'div', 'tr', 'td', 'th', 'ul', 'ol']);

/**
 * Plain text of a rich text, for summaries and search: entities decoded (the result is text, to be
 * escaped where it is written), blocks separated by a space, whitespace collapsed.
 */
export function richTextToPlain(html: string): string {
  let text = '';
  const parser = new Parser(
    {
      ontext: (chunk) => {
        text += chunk;
      },
      onopentagname: (name) => {
        if (BREAKS.has(name)) text += ' ';
      },
      onclosetag: (name) => {
        if (BREAKS.has(name)) text += ' ';
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return text.replace(/\s+/g, ' ').trim();
}
