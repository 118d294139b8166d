import { Parser } from 'htmlparser2';
import { squash } from './legacy.text.js';

/**
 * A saved page, HTML or plain text, read into lines the extractor can walk: headings, paragraphs
 * and list items, each with the links it holds. Scripts, styles, navigation menus and forms are
 * dropped; tables of "label | value" rows become "label: value" lines.
 */

export interface PageLink {
  text: string;
  href: string;
}

export interface PageLine {
  text: string;
  kind: 'heading' | 'para' | 'item';
  /** Heading level (1-6); 0 for other lines. */
  level: number;
  links: PageLink[];
  /** The number of an ordered list item ("1.Final Report", <ol><li>), or null. */
  itemNumber: number | null;
}

export interface PageModel {
  lines: PageLine[];
  /** The HTML <title>, when the page is HTML. */
  htmlTitle: string | null;
  /** The language declared by the page (<html lang>), if any. */
  declaredLang: string | null;
  /** The address the page was saved from, when the page says so (saved-from comment, canonical link, og:url). */
  foundUrl: string | null;
  isHtml: boolean;
}

/** True when a text is HTML rather than plain text saved from a browser. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4000).toLowerCase();
  return /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]/.test(head) || (/<(p|div|h[1-6]|ul|li|span|a)[\s>]/.test(head) && /<\/(p|div|h[1-6]|ul|li|span|a)>/.test(head));
}

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'iframe', 'select', 'button', 'form', 'canvas', 'object', 'video', 'audio', 'map', 'head']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'dl', 'tr', 'table',
  'blockquote', 'figure', 'figcaption', 'ul', 'ol', 'br', 'hr', 'address', 'pre', 'body', 'tbody', 'thead',
]);

interface Pending {
  text: string;
  kind: PageLine['kind'];
  level: number;
  links: PageLink[];
  itemNumber: number | null;
  dt: boolean;
  dd: boolean;
}

function htmlToModel(html: string): PageModel {
  const lines: (PageLine & { dt?: boolean; dd?: boolean })[] = [];
  let htmlTitle: string | null = null;
  let declaredLang: string | null = null;
  let foundUrl: string | null = null;
  let skip = 0;
  let inTitle = false;
  let cur: Pending = { text: '', kind: 'para', level: 0, links: [], itemNumber: null, dt: false, dd: false };
  const link: { href: string | null; text: string; alt: string }[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let row: string[] | null = null;

  const flush = () => {
    const text = squash(cur.text);
    if (row && text) {
      row.push(text);
      cur = { ...cur, text: '', links: cur.links };
      return;
    }
    if (text) lines.push({ text, kind: cur.kind, level: cur.level, links: cur.links, itemNumber: cur.itemNumber, dt: cur.dt, dd: cur.dd });
    cur = { text: '', kind: 'para', level: 0, links: [], itemNumber: null, dt: false, dd: false };
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'html' && attribs.lang) declaredLang = attribs.lang;
        if (name === 'link' && /\bcanonical\b/i.test(attribs.rel ?? '') && attribs.href) foundUrl ??= attribs.href;
        if (name === 'meta' && (attribs.property === 'og:url' || attribs.name === 'og:url') && attribs.content) foundUrl ??= attribs.content;
        if (name === 'title') {
          inTitle = true;
          htmlTitle = '';
          return;
        }
        if (SKIP.has(name)) {
          skip++;
          return;
        }
        if (skip) return;
        if (BLOCK.has(name)) flush();
        if (/^h[1-6]$/.test(name)) {
          cur.kind = 'heading';
          cur.level = Number(name[1]);
        } else if (name === 'ul' || name === 'ol') {
          lists.push({ ordered: name === 'ol', n: Number(attribs.start ?? 1) - 1 });
        } else if (name === 'li') {
          const list = lists[lists.length - 1];
          cur.kind = 'item';
          if (list?.ordered) cur.itemNumber = ++list.n;
        } else if (name === 'dt') {
          cur.dt = true;
        } else if (name === 'dd') {
          cur.dd = true;
        } else if (name === 'tr') {
          row = [];
        } else if (name === 'td' || name === 'th') {
          if (row && cur.text.trim()) flush();
        } else if (name === 'a') {
          link.push({ href: attribs.href ?? null, text: '', alt: '' });
        } else if (name === 'img') {
          const l = link[link.length - 1];
          if (l && attribs.alt) l.alt += ` ${attribs.alt}`;
        }
      },
      ontext(text) {
        if (inTitle) {
          htmlTitle = (htmlTitle ?? '') + text;
          return;
        }
        if (skip) return;
        cur.text += text;
        for (const l of link) l.text += text;
      },
      onclosetag(name) {
        if (name === 'title') {
          inTitle = false;
          return;
        }
        if (SKIP.has(name)) {
          skip = Math.max(0, skip - 1);
          return;
        }
        if (skip) return;
        if (name === 'a') {
          const l = link.pop();
          if (l?.href) {
            const text = squash(l.text) || squash(l.alt);
            cur.links.push({ text, href: l.href.trim() });
          }
          return;
        }
        if (name === 'ul' || name === 'ol') lists.pop();
        if (name === 'td' || name === 'th') {
          if (row) {
            const text = squash(cur.text);
            row.push(text);
            cur.text = '';
          }
          return;
        }
        if (name === 'tr' && row) {
          const cells = row.filter(Boolean);
          row = null;
          const links = cur.links;
          cur = { text: '', kind: 'para', level: 0, links: [], itemNumber: null, dt: false, dd: false };
          if (cells.length === 2 && cells[0]!.length <= 40) lines.push({ text: `${cells[0]!.replace(/\s*:$/, '')}: ${cells[1]}`, kind: 'para', level: 0, links, itemNumber: null });
          else if (cells.length) lines.push({ text: cells.join(' | '), kind: 'para', level: 0, links, itemNumber: null });
          return;
        }
        if (BLOCK.has(name)) flush();
      },
      oncomment(data) {
        const m = /saved from url=\(\d+\)(\S+)/i.exec(data);
        if (m?.[1] && /^https?:\/\//i.test(m[1])) foundUrl = m[1];
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  flush();

  // <dt>Date</dt><dd>15 June 2015</dd> reads as "Date: 15 June 2015".
  const merged: PageLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (line.dt && next?.dd) {
      merged.push({ text: `${line.text.replace(/\s*:$/, '')}: ${next.text}`, kind: 'para', level: 0, links: [...line.links, ...next.links], itemNumber: null });
      i++;
      continue;
    }
    merged.push({ text: line.text, kind: line.kind, level: line.level, links: line.links, itemNumber: line.itemNumber });
  }
  return { lines: merged, htmlTitle: htmlTitle ? squash(htmlTitle) : null, declaredLang, foundUrl, isHtml: true };
}

const BULLET = /^(?:[•·▪◦‣●○■□➢►▸*]|-(?=\s)|–(?=\s))\s*/u;
const NUMBERED = /^(\d{1,2})[.)](?!\d)\s*/;
const URL_IN_TEXT = /https?:\/\/[^\s<>()"'\]]+[^\s<>()"'\].,;:!?]/g;

function textToModel(text: string): PageModel {
  const lines: PageLine[] = [];
  let foundUrl: string | null = null;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    let t = squash(rawLine);
    if (!t) continue;
    let kind: PageLine['kind'] = 'para';
    let itemNumber: number | null = null;
    const bullet = BULLET.exec(t);
    const numbered = NUMBERED.exec(t);
    if (bullet && t.length > bullet[0].length) {
      kind = 'item';
      t = t.slice(bullet[0].length);
    } else if (numbered && t.length > numbered[0].length && /^\p{L}/u.test(t.slice(numbered[0].length))) {
      kind = 'item';
      itemNumber = Number(numbered[1]);
      t = t.slice(numbered[0].length);
    }
    const links: PageLink[] = [];
    const urls = [...t.matchAll(URL_IN_TEXT)].map((m) => m[0]);
    if (urls.length) {
      const label = squash(t.replace(URL_IN_TEXT, '').replace(/[([]\s*[)\]]/g, '').replace(/[\s:–-]+$/, ''));
      for (const href of urls) links.push({ text: label, href });
      // A line that is only an address (often the first or last line of a saved page) says where the page came from.
      if (!label && !foundUrl) foundUrl = urls[0]!;
    }
    lines.push({ text: t, kind, level: 0, links, itemNumber });
  }
  return { lines, htmlTitle: null, declaredLang: null, foundUrl, isHtml: false };
}

/** Reads a saved page (HTML or plain text) into lines. */
export function readPage(input: { text?: string | undefined; html?: string | undefined }): PageModel {
  if (input.html !== undefined) return htmlToModel(input.html);
  const text = input.text ?? '';
  return looksLikeHtml(text) ? htmlToModel(text) : textToModel(text);
}
