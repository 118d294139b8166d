import type { ActivityFormat, ActivityType, DocumentType, Figure, FigureQualifier } from '../activities/index.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { describePoint, findDates, isoDate, parseDateField, withYear, type DateMatch } from './legacy.dates.js';
import {
  ACTIVITY_NOUNS,
  ANNOUNCEMENT_WORDS,
  APPROXIMATE_NOUNS,
  CO_CHAIR_EXPLICIT,
  CO_CHAIR_WORDS,
  COUNTRY_NOUNS,
  DOCS_HEADER,
  DOCUMENT_RULES,
  FOOTER_LINE,
  HOST_EXPLICIT,
  HOST_VERB_AFTER,
  HYBRID_WORDS,
  IN_PERSON_WORDS,
  MARGINS,
  MEETING_VERBS,
  NAV_LINE,
  ORGANISATION_NOUNS,
  OTHER_EVENT_WORDS,
  PARTICIPANT_NOUNS,
  PHOTO_LINK,
  PHOTO_WORDS,
  PHOTOS_HEADER,
  PUBLICATION_WORDS,
  PUBLISHED_LINE,
  REPORT_WORDS,
  SIDE_EVENT,
  TITLE_PREFIXES,
  TITLE_TRAILERS,
  TYPE_RULES,
  VIRTUAL_WORDS,
  parseField,
  qualifierWords,
  type FieldName,
} from './legacy.lexicon.js';
import { readPage, type PageLine, type PageModel } from './legacy.page.js';
import { cityCountry, countryNamed, findCities, findCountries, findOrganisations } from './legacy.places.js';
import { CONFIDENCE_KEYS, type Confidence, type ExtractInput, type ExtractedActivity, type ExtractedDocument, type ExtractionResult } from './legacy.schemas.js';
import { mapThemes, themesInText } from './legacy.themes.js';
import { detectLanguage, escapeHtml, fold, sentences, squash, type PageLanguage } from './legacy.text.js';

/**
 * Reads pages saved from the dialogue's old websites (plain text or HTML, in English, French,
 * Spanish, Portuguese or Italian) and extracts the activities they describe. Pure: no database, no
 * clock. It never invents a fact: a field it cannot determine stays null with a warning saying why,
 * and every field carries a confidence between 0 and 1.
 */

interface Line extends PageLine {
  i: number;
  f: string;
  field: { field: FieldName; value: string } | null;
  nav: boolean;
  footer: boolean;
  docsHeader: boolean;
  photosHeader: boolean;
  published: boolean;
  side: boolean;
  dates: DateMatch[];
  bare: { date: DateMatch; rest: string } | null;
  titleScore: number;
}

interface Segment {
  titleLine: Line | null;
  titleText: string | null;
  titleSource: 'heading' | 'line' | 'html-title' | 'list';
  anchor: Line | null;
  lines: Line[];
  side: boolean;
}

interface Context {
  lang: PageLanguage;
  layout: 'detail' | 'list';
  baseUrl: string | null;
  pageYears: number[];
  publication: DateMatch | null;
  headerDate: DateMatch | null;
}

const BARE_PREFIX = /^(?:on|le|les|the|el|los|o|il|du|del|dal|from|de|los dias|nos dias|i giorni)?\s*$/i;

function placeish(rest: string): boolean {
  if (!rest) return true;
  if (rest.length > 90 || /[.!?]$/.test(rest)) return false;
  const f = fold(rest);
  return findCountries(rest).length > 0 || findCities(rest).length > 0 || VIRTUAL_WORDS.test(f) || HYBRID_WORDS.test(f);
}

function scoreTitle(l: Omit<Line, 'titleScore'>): number {
  if (l.field || l.nav || l.footer || l.docsHeader || l.photosHeader || l.published || l.bare) return 0;
  const n = l.text.length;
  if (n < 8 || n > 250) return 0;
  let score = l.kind === 'heading' ? (l.level === 1 ? 4 : 3) : l.kind === 'item' ? 0.5 : 1;
  if (ACTIVITY_NOUNS.test(l.f)) score += 2;
  const words = l.text.split(/\s+/).length;
  if (words >= 3 && words <= 25) score += 1;
  if (/[.:;]$/.test(l.text) && n > 60) score -= 2;
  if (words > 30) score -= 2;
  if (/^\p{Ll}/u.test(l.text)) score -= 1;
  return score;
}

function analyse(line: PageLine, i: number): Line {
  const f = fold(line.text);
  let field = parseField(f, line.text);
  if (field && field.field === 'themes' && field.value.length > 160) field = null;
  if (field && !field.value) field = null;
  const nav = !field && NAV_LINE.test(f);
  const published = field?.field === 'published' || PUBLISHED_LINE.test(f);
  const dates = findDates(line.text);
  let bare: Line['bare'] = null;
  const first = dates[0];
  if (!field && first && BARE_PREFIX.test(line.text.slice(0, first.index))) {
    const rest = line.text
      .slice(first.end)
      .replace(/^[\s|,–\-·:/]+/, '')
      .trim();
    if (placeish(rest)) bare = { date: first, rest };
  }
  const base = {
    ...line,
    i,
    f,
    field,
    nav,
    footer: FOOTER_LINE.test(f) && line.text.length < 200,
    docsHeader: DOCS_HEADER.test(f.trim()),
    photosHeader: PHOTOS_HEADER.test(f.trim()),
    published,
    side: SIDE_EVENT.test(f) && line.text.length <= 200 && !/[.;]$/.test(line.text),
    dates,
    bare,
  };
  return { ...base, titleScore: scoreTitle(base) };
}

/** Slices the original text at offsets found in its folded form (folding keeps lengths for these scripts). */
function origSlice(orig: string, folded: string, start: number, end?: number): string {
  return orig.length === folded.length ? orig.slice(start, end) : folded.slice(start, end);
}

function capitalise(s: string): string {
  return s.replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

/** The activity's name from a page title: framing ("Look back at the", "Retour sur la") and announcement clauses removed. */
export function cleanTitle(raw: string): string {
  let t = squash(raw).replace(/^[\s"“«]+|[\s"”»]+$/g, '');
  for (let pass = 0; pass < 2; pass++) {
    const f = fold(t);
    for (const re of TITLE_PREFIXES) {
      const m = re.exec(f);
      if (m && m[0].length < t.length - 4) {
        t = origSlice(t, f, m[0].length).trim();
        break;
      }
    }
  }
  for (const re of TITLE_TRAILERS) {
    const f = fold(t);
    const m = re.exec(f);
    if (m && m.index > 8) t = origSlice(t, f, 0, m.index).trim();
  }
  t = t.replace(/[\s:;,–-]+$/, '').trim();
  return capitalise(t);
}

function titleNear(lines: Line[], at: number, dir: -1 | 1, limit: number, lo: number, hi: number): Line | null {
  let seen = 0;
  for (let i = at + dir; i >= lo && i < hi && seen < limit; i += dir) {
    const l = lines[i]!;
    if (l.field || l.nav || l.published || (l.bare && i !== at)) continue;
    seen++;
    if (l.titleScore >= 2) return l;
    // A paragraph of prose between the date and a candidate means the candidate belongs elsewhere.
    if (l.text.length > 120) return null;
  }
  return null;
}

function isDateAnchor(l: Line): boolean {
  return l.field?.field === 'date' || l.field?.field === 'dateplace';
}

function bestMainTitle(lines: Line[], page: PageModel): { line: Line | null; text: string | null; source: Segment['titleSource'] } {
  const dateField = lines.find(isDateAnchor);
  if (dateField) {
    const t = titleNear(lines, dateField.i, -1, 8, 0, lines.length);
    if (t) return { line: t, text: t.text, source: t.kind === 'heading' ? 'heading' : 'line' };
  }
  if (page.isHtml) {
    const h1 = lines.find((l) => l.kind === 'heading' && l.level === 1 && l.titleScore >= 3);
    if (h1) return { line: h1, text: h1.text, source: 'heading' };
    const h = lines.find((l) => l.kind === 'heading' && l.level <= 3 && ACTIVITY_NOUNS.test(l.f) && l.titleScore >= 3);
    if (h) return { line: h, text: h.text, source: 'heading' };
  }
  let best: Line | null = null;
  for (const l of lines.slice(0, 20)) if (l.titleScore >= 3 && (!best || l.titleScore > best.titleScore)) best = l;
  if (best) return { line: best, text: best.text, source: best.kind === 'heading' ? 'heading' : 'line' };
  if (page.htmlTitle && ACTIVITY_NOUNS.test(fold(page.htmlTitle))) return { line: null, text: page.htmlTitle, source: 'html-title' };
  return { line: null, text: null, source: 'line' };
}

/** Where a side event's own lines stop: documents or photos of the page, navigation, or the next section. */
function sideEnd(lines: Line[], from: number, to: number, level: number): number {
  for (let i = from; i < to; i++) {
    const l = lines[i]!;
    if (l.docsHeader || l.photosHeader || l.nav || l.footer) return i;
    if (l.kind === 'heading' && level > 0 && l.level <= level && !l.side) return i;
    if (l.side && i > from) return i;
  }
  return to;
}

function segmentPage(lines: Line[], page: PageModel): { layout: 'detail' | 'list'; segments: Segment[]; header: Line[] } {
  // Candidate entries: each date field or bare date line, with the title next to it.
  const anchors = lines.filter((l) => isDateAnchor(l) || (l.bare && !l.published));
  type Entry = { anchor: Line; title: Line | null; dir: -1 | 1 | 0 };
  const entries: Entry[] = [];
  for (let k = 0; k < anchors.length; k++) {
    const a = anchors[k]!;
    const lo = k > 0 ? anchors[k - 1]!.i + 1 : 0;
    const hi = k + 1 < anchors.length ? anchors[k + 1]!.i : lines.length;
    const back = titleNear(lines, a.i, -1, isDateAnchor(a) ? 6 : 2, lo, hi);
    const fwd = isDateAnchor(a) ? null : titleNear(lines, a.i, 1, 2, lo, hi);
    entries.push({ anchor: a, title: back ?? fwd, dir: back && fwd ? 0 : back ? -1 : fwd ? 1 : 0 });
  }
  // Titles above their dates, or below them: choose the reading that gives every entry a title, with titles of one kind.
  const reading = (dir: -1 | 1) =>
    anchors.map((a, k) => {
      const lo = k > 0 ? anchors[k - 1]!.i + 1 : 0;
      const hi = k + 1 < anchors.length ? anchors[k + 1]!.i : lines.length;
      return dir === -1 ? titleNear(lines, a.i, -1, isDateAnchor(a) ? 6 : 2, lo, hi) : isDateAnchor(a) ? null : titleNear(lines, a.i, 1, 2, lo, hi);
    });
  const score = (titles: (Line | null)[]) => {
    const found = titles.filter((t): t is Line => !!t);
    const distinct = new Set(found.map((t) => t.i)).size;
    const kinds = new Map<string, number>();
    for (const t of found) kinds.set(`${t.kind}${t.level}`, (kinds.get(`${t.kind}${t.level}`) ?? 0) + 1);
    return distinct * 2 + Math.max(0, ...kinds.values());
  };
  const back = reading(-1);
  const fwd = reading(1);
  const preferred = score(fwd) > score(back) ? fwd : back;
  const other = preferred === fwd ? back : fwd;
  entries.forEach((e, k) => {
    e.title = preferred[k] ?? other[k] ?? null;
  });
  // Two anchors that share a title are one entry (a header date above a "Date:" field): keep the field.
  const byTitle = new Map<number, Entry>();
  const distinct: Entry[] = [];
  for (const e of entries) {
    if (!e.title) continue;
    const prior = byTitle.get(e.title.i);
    if (prior) {
      if (!isDateAnchor(prior.anchor) && isDateAnchor(e.anchor)) {
        distinct[distinct.indexOf(prior)] = e;
        byTitle.set(e.title.i, e);
      }
      continue;
    }
    byTitle.set(e.title.i, e);
    distinct.push(e);
  }

  if (distinct.length >= 2) {
    const starts = distinct.map((e) => Math.min(e.title!.i, e.anchor.i));
    const segments: Segment[] = distinct.map((e, k) => {
      const start = starts[k]!;
      const end = k + 1 < starts.length ? starts[k + 1]! : lines.length;
      return {
        titleLine: e.title,
        titleText: e.title!.text,
        titleSource: 'list',
        anchor: e.anchor,
        lines: lines.slice(start, end).filter((l) => l !== e.title),
        side: e.title!.side,
      };
    });
    // A side event described with its own fields ends where the page's documents begin; the rest is the main meeting's.
    for (let k = 1; k < segments.length; k++) {
      const s = segments[k]!;
      if (!s.side) continue;
      const main = segments.slice(0, k).reverse().find((x) => !x.side);
      if (!main) continue;
      const cut = s.lines.findIndex((l) => l.docsHeader || l.photosHeader || l.nav);
      if (cut >= 0) {
        main.lines.push(...s.lines.slice(cut));
        s.lines = s.lines.slice(0, cut);
      }
    }
    const layout = segments.some((s) => !s.side) && segments.filter((s) => !s.side).length >= 2 ? 'list' : 'detail';
    return { layout, segments, header: lines.slice(0, starts[0]) };
  }

  const main = bestMainTitle(lines, page);
  const start = main.line ? main.line.i + 1 : 0;
  const header = main.line ? lines.slice(0, main.line.i) : [];
  const mainSeg: Segment = {
    titleLine: main.line,
    titleText: main.text,
    titleSource: main.source,
    anchor: lines.find(isDateAnchor) ?? null,
    lines: [],
    side: false,
  };
  const segments: Segment[] = [mainSeg];
  for (let i = start; i < lines.length; ) {
    const l = lines[i]!;
    if (l.side && l.titleScore >= 2 && l !== main.line) {
      const end = sideEnd(lines, i + 1, lines.length, l.kind === 'heading' ? l.level : 0);
      segments.push({ titleLine: l, titleText: l.text, titleSource: l.kind === 'heading' ? 'heading' : 'line', anchor: null, lines: lines.slice(i + 1, end), side: true });
      i = end;
      continue;
    }
    if (l !== main.line) mainSeg.lines.push(l);
    i++;
  }
  return { layout: 'detail', segments, header };
}

// ---------------------------------------------------------------------------------------------
// Fields of one segment

interface Found<T> {
  value: T;
  confidence: number;
}

function resolveUrl(href: string, base: string | null): string | null {
  if (/^(?:mailto|javascript|tel|data):/i.test(href) || href.startsWith('#')) return null;
  try {
    const u = base ? new URL(href, base) : new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function classifyType(folded: string, original: string, side: boolean): ActivityType | null {
  for (const [type, re] of TYPE_RULES) {
    if (side && (type === 'ministerial_conference' || type === 'senior_officials_meeting' || type === 'steering_committee')) continue;
    if (re.test(folded)) return type;
  }
  if (!side && /\bSOM\b/.test(original)) return 'senior_officials_meeting';
  return null;
}

function classifyDocument(title: string, href: string | null): DocumentType {
  const f = fold(`${title} ${href ? decodeURIComponent(href.split('/').pop() ?? '').replace(/[_-]+/g, ' ') : ''}`);
  for (const [type, re] of DOCUMENT_RULES) if (re.test(f)) return type;
  return 'other';
}

function cleanDocumentTitle(raw: string): string {
  let t = squash(raw)
    .replace(/\s*[([]\s*(?:pdf|docx?|pptx?|xlsx?|zip|odt)\b[^)\]]*[)\]]\s*$/i, '')
    .replace(/\s*[–-]\s*(?:pdf|docx?|pptx?|xlsx?)\b.*$/i, '')
    .replace(/\s*\(?\d+(?:[.,]\d+)?\s*(?:kb|mb|ko|mo)\)?\s*$/i, '')
    .replace(/\s+(?:pdf|docx?|pptx?)$/i, '')
    .replace(/^(?:download|telecharger|télécharger|descargar|baixar|scarica)(?:\s+(?:the|le|la|les|l'|el|los|las|o|a|os|as|il|lo|gli))?\s+/i, '')
    .replace(/[\s:;,.]+$/, '');
  t = t.replace(/^\d{1,2}\s*[.)-]\s*(?=\p{L})/u, '');
  return capitalise(t);
}

const FILE_LINK = /\.(?:pdf|docx?|pptx?|xlsx?|odt|zip)(?:[?#].*)?$/i;

function documentsOf(lines: Line[], ctx: Context): { documents: ExtractedDocument[]; photos: string[]; used: Set<Line> } {
  const documents: ExtractedDocument[] = [];
  const photos: string[] = [];
  const used = new Set<Line>();
  const addPhoto = (href: string) => {
    const url = resolveUrl(href, ctx.baseUrl);
    if (url && !photos.includes(url)) photos.push(url);
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.docsHeader) {
      used.add(l);
      for (let j = i + 1; j < lines.length; j++) {
        const d = lines[j]!;
        if (d.photosHeader || d.docsHeader || d.nav || d.footer || d.field || d.side) break;
        if (d.kind === 'heading' && ctx.layout === 'detail' && !d.links.length) break;
        const prose = d.kind === 'para' && !d.links.length && (d.text.length > 150 || (/[.!?]$/.test(d.text) && d.text.length > 60));
        if (prose) break;
        used.add(d);
        const href = d.links.find((x) => x.href)?.href ?? null;
        if (href && PHOTO_LINK.test(href.toLowerCase()) && PHOTO_WORDS.test(fold(d.text))) {
          addPhoto(href);
          continue;
        }
        const title = cleanDocumentTitle(d.links.length === 1 && d.links[0]!.text ? d.links[0]!.text : d.text);
        if (!title) continue;
        const url = href ? resolveUrl(href, ctx.baseUrl) : null;
        documents.push({ title, type: classifyDocument(title, url), url });
        i = j;
      }
      continue;
    }
    if (l.photosHeader) {
      used.add(l);
      for (let j = i + 1; j < lines.length; j++) {
        const p = lines[j]!;
        if (p.docsHeader || p.nav || p.footer || p.field || (p.kind === 'heading' && !p.links.length) || (!p.links.length && p.text.length > 120)) break;
        used.add(p);
        for (const link of p.links) addPhoto(link.href);
        i = j;
      }
      continue;
    }
    for (const link of l.links) {
      const lower = link.href.toLowerCase();
      if (PHOTO_LINK.test(lower) || (PHOTO_WORDS.test(fold(link.text)) && !FILE_LINK.test(lower))) {
        addPhoto(link.href);
      } else if (FILE_LINK.test(lower)) {
        const url = resolveUrl(link.href, ctx.baseUrl);
        if (!url || documents.some((d) => d.url === url)) continue;
        const title = cleanDocumentTitle(link.text || decodeURIComponent(lower.split('/').pop() ?? '').replace(/\.[a-z]+$/, '').replace(/[_-]+/g, ' '));
        if (title) documents.push({ title, type: classifyDocument(title, url), url });
      }
    }
  }
  return { documents, photos, used };
}

interface Party {
  code: string;
  index: number;
}

/** Countries (ISO codes) and organisations (directory codes) named in a text, in order. */
function partiesIn(text: string): Party[] {
  const hits = [...findCountries(text).map((h) => ({ code: h.code, index: h.index })), ...findOrganisations(text).map((h) => ({ code: h.code, index: h.index }))];
  hits.sort((a, b) => a.index - b.index);
  const out: Party[] = [];
  for (const h of hits) if (!out.some((o) => o.code === h.code)) out.push(h);
  return out;
}

const CLAUSE_END = /[;]|\s(?:with the (?:participation|support)|in the presence|avec la participation|con la participaci[oó]n|com a participa[cç][aã]o|con la partecipazione|who |which |qui |que |che )/i;

function coChairsOf(fieldValue: string | null, body: string[]): { found: Found<string[]> | null; warnings: string[] } {
  const warnings: string[] = [];
  if (fieldValue) {
    const parties = partiesIn(fieldValue).map((p) => p.code);
    if (parties.length) return { found: { value: parties, confidence: 0.95 }, warnings };
    warnings.push(`co_chairs: "${fieldValue}" names no known country or organisation`);
  }
  const all = body.flatMap((p) => sentences(p).map((s) => s.text));
  for (const s of all) {
    const f = fold(s);
    const m = CO_CHAIR_EXPLICIT.exec(f);
    if (!m) continue;
    let after = origSlice(s, f, m.index + m[0].length);
    const stop = CLAUSE_END.exec(after);
    if (stop) after = after.slice(0, stop.index);
    const parties = partiesIn(after).map((p) => p.code);
    if (parties.length) return { found: { value: parties.slice(0, 4), confidence: parties.length >= 2 ? 0.9 : 0.7 }, warnings };
  }
  for (const s of all) {
    const f = fold(s);
    const m = CO_CHAIR_WORDS.exec(f);
    if (!m) continue;
    const after = origSlice(s, f, m.index);
    const parties = partiesIn(after).map((p) => p.code);
    if (parties.length >= 2) return { found: { value: parties.slice(0, 2), confidence: 0.75 }, warnings };
    if (parties.length === 1) {
      warnings.push(`co_chairs: only one co-chair (${parties[0]}) could be read in "${squash(s).slice(0, 120)}"`);
      return { found: { value: parties, confidence: 0.5 }, warnings };
    }
  }
  return { found: null, warnings };
}

function hostOf(fieldValue: string | null, body: string[]): Found<string> | null {
  if (fieldValue) {
    const p = partiesIn(fieldValue)[0];
    if (p) return { value: p.code, confidence: 0.95 };
  }
  for (const para of body) {
    for (const { text: s } of sentences(para)) {
      const f = fold(s);
      const m = HOST_EXPLICIT.exec(f);
      if (m) {
        const after = origSlice(s, f, m.index + m[0].length).slice(0, 120);
        const p = partiesIn(after)[0];
        if (p) return { value: p.code, confidence: 0.8 };
      }
      const v = HOST_VERB_AFTER.exec(f);
      if (v) {
        const before = origSlice(s, f, Math.max(0, v.index - 60), v.index);
        const parties = partiesIn(before);
        const last = parties[parties.length - 1];
        if (last && before.slice(last.index).length < 40) return { value: last.code, confidence: 0.7 };
      }
    }
  }
  return null;
}

interface Place {
  city: string | null;
  venue: string | null;
  country: string | null;
  format: ActivityFormat | null;
  confidence: number;
  warnings: string[];
}

/** "Rabat, Morocco", "Hotel X, Dakar (Senegal)", "Online", "Brussels and online". */
export function parsePlace(value: string): Place {
  const f = fold(value);
  const format: ActivityFormat | null = HYBRID_WORDS.test(f) ? 'hybrid' : VIRTUAL_WORDS.test(f) ? 'virtual' : null;
  const cleaned = value
    .replace(/\b(?:and|et|y|e)\s+(?:online|en ligne|en l[ií]nea|virtual(?:ly)?|virtuel(?:le)?|videoconference|visioconf[ée]rence)\b/gi, '')
    .replace(new RegExp(VIRTUAL_WORDS.source, 'gi'), (m) => (fold(m) === m.toLowerCase() ? '' : ''))
    .replace(/[()]/g, ',');
  const parts = cleaned
    .split(/\s*[,;|/]\s*|\s+[–-]\s+/)
    .map((p) => p.trim().replace(/^(?:in|at|à|a|en|em|no|na|nel|nella)\s+/i, ''))
    .filter((p) => p && !/^(?:and|et|y|e)$/i.test(p));
  const warnings: string[] = [];
  let country: string | null = null;
  let countryAt = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    const c = countryNamed(parts[i]!);
    if (c) {
      country = c;
      countryAt = i;
      break;
    }
  }
  const rest = parts.filter((_, i) => i !== countryAt);
  let city: string | null = null;
  let venue: string | null = null;
  let confidence = 0;
  if (rest.length) {
    // The city is the part nearest the country; what comes before it is the venue.
    const gazetteer = rest.findIndex((p) => cityCountry(p));
    const cityAt = gazetteer >= 0 ? gazetteer : rest.length - 1;
    city = rest[cityAt]!;
    venue = rest.filter((_, i) => i !== cityAt).join(', ') || null;
    const known = cityCountry(city);
    if (country) {
      confidence = 0.95;
      if (known && known !== country) warnings.push(`place: ${city} is usually in ${known}, the page says ${country}`);
    } else if (known) {
      country = known;
      confidence = 0.8;
    } else {
      confidence = 0.5;
      warnings.push(`place: the country of "${city}" is not stated and the city is not in the gazetteer`);
    }
  } else if (country) {
    confidence = 0.9;
  }
  // "Brussels and online": a place and an online format is a hybrid meeting.
  const both = format === 'virtual' && (city || country) ? 'hybrid' : format;
  return { city, venue, country, format: both, confidence: format === 'virtual' && !city && !country ? 0.95 : confidence, warnings };
}

const LOCATIVE = /(?:^|\s)(?:in|at|à|a|en|em|no|na|nel|nella|au|to)\s+$/i;

function placeFromProse(texts: string[]): Place | null {
  for (const s of texts) {
    // "in Dakar, Senegal", "à Niamey (Niger)"
    for (const c of findCountries(s)) {
      const before = s.slice(Math.max(0, c.index - 60), c.index);
      const m = /(?:^|\s)(?:in|at|à|a|en|em|no|na|nel|nella|au)\s+((?:\p{Lu}[\p{L}'’.-]*)(?:[\s-]+(?:de\s+|del\s+|la\s+)?\p{Lu}[\p{L}'’.-]*){0,3})\s*[,(]\s*(?:the\s+|la\s+|le\s+|el\s+|l')?$/u.exec(before);
      if (m?.[1] && !countryNamed(m[1])) {
        return { city: m[1], venue: null, country: c.code, format: null, confidence: 0.8, warnings: [] };
      }
    }
    for (const c of findCities(s)) {
      if (LOCATIVE.test(s.slice(Math.max(0, c.index - 12), c.index))) {
        return { city: c.text, venue: null, country: c.code, format: null, confidence: 0.7, warnings: [] };
      }
    }
  }
  return null;
}

const NUMBER = String.raw`(\d{1,3}(?:[ .,\u202f]\d{3})+|\d+)`;

interface FigureMention {
  kind: 'participants' | 'countries_count' | 'organisations_count';
  figure: Figure;
  sentence: string;
  both: boolean;
}

function classifyNoun(noun: string): FigureMention['kind'] | null {
  if (new RegExp(`^(?:${PARTICIPANT_NOUNS})$`).test(noun)) return 'participants';
  if (new RegExp(`^(?:${COUNTRY_NOUNS})$`).test(noun)) return 'countries_count';
  if (new RegExp(`^(?:${ORGANISATION_NOUNS})$`).test(noun)) return 'organisations_count';
  return null;
}

const ANY_NOUN = new RegExp(`^(?:${PARTICIPANT_NOUNS}|${COUNTRY_NOUNS}|${ORGANISATION_NOUNS})$`);
const PARTICIPATION_CUE = /\b(?:particip|attend|took part|take part|gather|brought together|bringing together|rassembl|reuni|congreg|riun|ont pris part|tomaron parte|tomaram parte|presen[ct]|representing|representant|representaban|in rappresentanza|from|de|des|di|da)\b/;
const DIALOGUE_WORDS = /\b(?:rabat process|processus de rabat|proceso de rabat|processo de rabat|processo di rabat|the dialogue|le dialogue|el dialogo|o dialogo|il dialogo)\b/;

const FIGURE_PATTERNS = new Map<PageLanguage, { re: RegExp; approx: RegExp; quals: [FigureQualifier, string][] }>();

function figurePatterns(lang: PageLanguage) {
  let p = FIGURE_PATTERNS.get(lang);
  if (!p) {
    const quals = qualifierWords(lang);
    const qualAlt = quals.map(([, w]) => w).join('|');
    const nouns = `${PARTICIPANT_NOUNS}|${COUNTRY_NOUNS}|${ORGANISATION_NOUNS}`;
    p = {
      quals,
      re: new RegExp(`(?:\\b(${qualAlt})\\s+(?:de\\s+|di\\s+)?)?(?<![\\d.,])${NUMBER}\\s+((?:[\\p{L}'-]+\\s+){0,3}?)(${nouns})\\b`, 'gu'),
      approx: new RegExp(`\\b(?:une?|una|uma|un)\\s+(${Object.keys(APPROXIMATE_NOUNS).join('|')})\\s+(?:de\\s+|d'|di\\s+)((?:[\\p{L}'-]+\\s+){0,3}?)(${nouns})\\b`, 'gu'),
    };
    FIGURE_PATTERNS.set(lang, p);
  }
  return p;
}

function figuresIn(body: string[], lang: PageLanguage): FigureMention[] {
  const { re, approx, quals } = figurePatterns(lang);
  const out: FigureMention[] = [];
  for (const para of body) {
    for (const { text } of sentences(para)) {
      const f = fold(squash(text));
      const found: (FigureMention & { at: number })[] = [];
      for (const m of f.matchAll(re)) {
        const between = (m[3] ?? '').trim().split(/\s+/).filter(Boolean);
        if (between.some((w) => ANY_NOUN.test(w))) continue;
        const value = Number((m[2] ?? '').replace(/[ .,\u202f]/g, ''));
        const qualifierText = m[1];
        if (!Number.isFinite(value) || value <= 0 || value > 100_000) continue;
        if (!qualifierText && value >= 1900 && value <= 2100) continue;
        const kind = classifyNoun(m[4]!);
        if (!kind) continue;
        let qualifier: FigureQualifier = 'exact';
        if (qualifierText) qualifier = quals.find(([, w]) => new RegExp(`^(?:${w})$`).test(qualifierText))?.[0] ?? 'around';
        found.push({ kind, figure: { value, qualifier }, sentence: text, both: false, at: m.index });
      }
      for (const m of f.matchAll(approx)) {
        const kind = classifyNoun(m[3]!);
        const value = APPROXIMATE_NOUNS[m[1]!];
        if (kind && value) found.push({ kind, figure: { value, qualifier: 'around' }, sentence: text, both: false, at: m.index });
      }
      found.sort((a, b) => a.at - b.at);
      for (const x of found) {
        if (x.kind === 'countries_count') {
          if (!found.some((y) => y.kind === 'participants') && !PARTICIPATION_CUE.test(f)) continue;
          if (DIALOGUE_WORDS.test(f) && /\bpartner|partenaire|socio|parceiro/.test(f) && !found.some((y) => y.kind === 'participants')) continue;
          // "50 countries and international organisations" counts both together.
          x.both = new RegExp(`${x.figure.value}\\s+(?:[\\p{L}'-]+\\s+){0,2}?(?:${COUNTRY_NOUNS})\\s+(?:and|et|y|e)\\s+(?:international\\s+|internationales\\s+|internacionales\\s+|internacionais\\s+|internazionali\\s+)?(?:${ORGANISATION_NOUNS})`, 'u').test(f);
        }
        out.push(x);
      }
    }
  }
  return out;
}

/** The date of the meeting written in the narrative, scored by what surrounds it. */
function proseDate(body: string[]): { match: DateMatch; confidence: number; sentence: string } | null {
  let best: { match: DateMatch; score: number; verb: boolean; sentence: string } | null = null;
  let first = true;
  for (const para of body) {
    for (const { text: s } of sentences(para)) {
      const f = fold(s);
      for (const d of findDates(s)) {
        if (d.precision === 'year') continue;
        let score = d.precision === 'day' ? 3 : 2;
        const verb = MEETING_VERBS.test(f);
        if (verb) score += 3;
        if (ACTIVITY_NOUNS.test(f)) score += 1;
        if (first) score += 1;
        if (OTHER_EVENT_WORDS.test(f)) score -= 3;
        if (PUBLICATION_WORDS.test(fold(s.slice(Math.max(0, d.index - 40), d.index)))) score -= 6;
        if (d.mangled) score -= 1;
        first = false;
        if (!best || score > best.score) best = { match: d, score, verb, sentence: s };
      }
    }
  }
  if (!best || best.score < 2) return null;
  const confidence = best.verb ? (best.match.precision === 'day' ? 0.8 : 0.7) : 0.55;
  return { match: best.match, confidence: best.match.mangled ? 0.4 : confidence, sentence: best.sentence };
}

function yearsIn(text: string): number[] {
  return [...new Set([...text.matchAll(/(?<![\d/.-])(19[9]\d|20\d{2})(?![\d/.-])/g)].map((m) => Number(m[1])))];
}

function pageKindOf(rawTitle: string, body: string[]): ExtractedActivity['page_kind'] {
  const t = fold(rawTitle);
  if (REPORT_WORDS.test(t)) return 'report';
  if (ANNOUNCEMENT_WORDS.test(t)) return 'announcement';
  const lead = fold(body.slice(0, 2).join(' '));
  const r = REPORT_WORDS.exec(lead);
  const a = ANNOUNCEMENT_WORDS.exec(lead);
  if (r && (!a || r.index < a.index)) return 'report';
  if (a) return 'announcement';
  return 'unknown';
}

function narrativeOf(lines: Line[]): { html: string | null; summary: string | null; paragraphs: string[] } {
  const blocks: string[] = [];
  const seen = new Set<string>();
  const paragraphs: string[] = [];
  let list: string[] = [];
  const closeList = () => {
    if (list.length) blocks.push(`<ul>${list.map((li) => `<li>${escapeHtml(li)}</li>`).join('')}</ul>`);
    list = [];
  };
  for (const l of lines) {
    const key = fold(l.text);
    if (l.kind !== 'item' && seen.has(key)) continue;
    seen.add(key);
    if (l.kind === 'item') {
      list.push(l.text);
      continue;
    }
    closeList();
    if (l.kind === 'heading') {
      blocks.push(`<h3>${escapeHtml(l.text)}</h3>`);
    } else {
      blocks.push(`<p>${escapeHtml(l.text)}</p>`);
      paragraphs.push(l.text);
    }
  }
  closeList();
  const html = blocks.length ? sanitizeRichText(blocks.join('\n')) : null;
  let summary = paragraphs[0] ?? null;
  if (summary && summary.length > 1000) {
    const cut = summary.slice(0, 600);
    const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
    summary = end > 100 ? cut.slice(0, end + 1) : `${cut.slice(0, 597).trimEnd()}…`;
  }
  return { html, summary, paragraphs };
}

function emptyConfidence(): Confidence {
  return Object.fromEntries(CONFIDENCE_KEYS.map((k) => [k, 0])) as Confidence;
}

/** Where the meeting took place: the place fields, a list entry's place, the narrative or title, or (for a side event held on its margins) the main meeting's. */
function placeOf(seg: Segment, fields: Map<FieldName, string>, extra: { dateplaceRest: string | null; sentence: string | null; rawTitle: string; body: string[]; main: ExtractedActivity | null }, warnings: string[]): { place: Place | null; fromField: boolean } {
  const { dateplaceRest, rawTitle, body, main } = extra;
  let place: Place | null = null;
  const placeField = fields.get('venue') && fields.get('place') ? `${fields.get('venue')}, ${fields.get('place')}` : fields.get('place') ?? fields.get('venue') ?? dateplaceRest ?? seg.anchor?.bare?.rest ?? null;
  if (placeField) {
    place = parsePlace(placeField);
    if (fields.get('country') && !place.country) place.country = countryNamed(fields.get('country')!);
    if (seg.anchor?.bare && placeField === seg.anchor.bare.rest) place.confidence = Math.min(place.confidence, 0.8);
  } else if (fields.get('country')) {
    const c = countryNamed(fields.get('country')!);
    if (c) place = { city: null, venue: null, country: c, format: null, confidence: 0.9, warnings: [] };
  }
  if (!place || (!place.city && !place.country && place.format !== 'virtual')) {
    const texts = [extra.sentence, rawTitle, ...body.slice(0, 3).flatMap((p) => sentences(p).map((s) => s.text))].filter((s): s is string => !!s);
    const found = placeFromProse(texts);
    if (found) place = { ...found, format: place?.format ?? null };
  }
  if (!place?.city && !place?.country && seg.side && main && body.some((p) => MARGINS.test(fold(p)))) {
    place = { city: main.city, venue: null, country: main.country, format: null, confidence: 0.5, warnings: [] };
    if (main.city || main.country) warnings.push('place: taken from the main meeting, on whose margins the side event was held');
  }
  if (place) warnings.push(...place.warnings);
  return { place, fromField: !!placeField };
}

/** In person, online or both: a format field, the place, the title, the narrative's sentences about the meeting, and last the fact that it has a place. */
function formatOf(place: Place | null, fromField: boolean, fields: Map<FieldName, string>, rawTitle: string, body: string[], warnings: string[]): { format: ActivityFormat | null; confidence: number } {
  let confidence = 0;
  let format: ActivityFormat | null = place?.format ?? null;
  const formatField = fields.get('format');
  if (formatField) {
    const f = fold(formatField);
    const stated: ActivityFormat | null = HYBRID_WORDS.test(f) || (VIRTUAL_WORDS.test(f) && IN_PERSON_WORDS.test(f)) ? 'hybrid' : VIRTUAL_WORDS.test(f) ? 'virtual' : IN_PERSON_WORDS.test(f) ? 'in_person' : null;
    if (stated) format = stated;
    else warnings.push(`format: "${formatField}" is not a known format`);
  }
  if (format) confidence = 0.95;
  if (!format) {
    const t = fold(rawTitle);
    if (HYBRID_WORDS.test(t)) format = 'hybrid';
    else if (VIRTUAL_WORDS.test(t)) format = 'virtual';
    if (format) confidence = 0.85;
  }
  if (!format) {
    for (const p of body.slice(0, 4)) {
      for (const { text: s } of sentences(p)) {
        const f = fold(s);
        if (!MEETING_VERBS.test(f) && !/\b(?:format|formato|modalit)/.test(f)) continue;
        const physical = IN_PERSON_WORDS.test(f) || (!!place?.city && f.includes(fold(place.city)));
        if (HYBRID_WORDS.test(f)) format = 'hybrid';
        else if (VIRTUAL_WORDS.test(f) && !/\bonline (?:registration|form)|inscription en ligne/.test(f)) format = physical ? 'hybrid' : 'virtual';
        if (format) break;
      }
      if (format) {
        confidence = 0.7;
        break;
      }
    }
  }
  if (!format && (place?.city || place?.country)) {
    format = 'in_person';
    confidence = fromField ? 0.8 : 0.7;
  }
  if (!format) warnings.push('format: neither a place nor an online format is stated');
  return { format, confidence };
}

interface MeetingDate {
  date: DateMatch | null;
  confidence: number;
  start: string | null;
  end: string | null;
  /** The narrative sentence the date was read from, when it came from prose. */
  sentence: string | null;
  /** What follows the date in a "Date and place:" field. */
  dateplaceRest: string | null;
  warnings: string[];
}

/**
 * The meeting's date, by order of trust: a "Date:" field, the date line of a list entry, the
 * narrative (scored by what surrounds each date), and last the page's header date. A date without
 * a year is completed from the page (the same date in full, the title, the main meeting, the list's
 * heading, the publication date) or left empty; every choice is said in a warning.
 */
function meetingDate(seg: Segment, ctx: Context, fields: Map<FieldName, string>, body: string[], headerDates: Set<Line>, rawTitle: string, position: number, main: ExtractedActivity | null): MeetingDate {
  const warnings: string[] = [];
  let date: DateMatch | null = null;
  let dateConfidence = 0;
  const dateField = fields.get('date') ?? fields.get('dateplace') ?? null;
  let dateplaceRest: string | null = null;
  if (dateField) {
    date = parseDateField(dateField);
    if (date) {
      dateConfidence = date.mangled ? 0.4 : 0.95;
      if (fields.has('dateplace') && !fields.has('date')) dateplaceRest = dateField.slice(date.end).replace(/^[\s,;|–-]+/, '') || null;
    } else {
      warnings.push(`date: "${dateField}" could not be read as a date`);
    }
  }
  if (!date && seg.anchor?.bare) {
    date = seg.anchor.bare.date;
    dateConfidence = date.mangled ? 0.4 : 0.85;
  }
  let prose: ReturnType<typeof proseDate> = null;
  if (!date) {
    prose = proseDate(body);
    if (prose) {
      date = prose.match;
      dateConfidence = prose.confidence;
    }
  }
  const headerDate = [...headerDates].map((l) => l.bare!.date)[0] ?? (position === 0 ? ctx.headerDate : null);
  if (!date && headerDate) {
    date = headerDate;
    dateConfidence = 0.4;
    warnings.push(`date: the only date is the page's header date (${headerDate.raw}), which may be when the page was published rather than the meeting — check it`);
  } else if (date && headerDate && !seg.anchor?.bare && headerDate.raw !== date.raw) {
    warnings.push(`date: the header date ${headerDate.raw} was not used: it dates the page, not the meeting`);
  }
  if (date && ctx.publication && date.raw !== ctx.publication.raw && position === 0) {
    warnings.push(`date: ${ctx.publication.raw} is when the page was published, not the meeting's date`);
  }
  if (date && ctx.publication && date.raw === ctx.publication.raw && dateConfidence < 0.9) {
    warnings.push(`date: ${date.raw} is the publication date, not the meeting's date; left empty`);
    date = null;
  }
  if (date) warnings.push(...date.warnings.map((w) => `date: ${w}`));
  if (date && date.yearless) {
    const candidates = seg.lines.flatMap((l) => l.dates).filter((d) => !d.yearless && d.from.m === date!.from.m && d.from.d === date!.from.d && d.from.y !== null);
    const titleYears = yearsIn(rawTitle);
    let year: number | null = null;
    let how = '';
    if (candidates[0]) {
      year = candidates[0].from.y;
      how = `the same date written in full elsewhere on the page (${candidates[0].raw})`;
      dateConfidence = Math.min(dateConfidence, 0.85);
    } else if (titleYears.length === 1) {
      year = titleYears[0]!;
      how = 'the title';
      dateConfidence = Math.min(dateConfidence, 0.8);
    } else if (main?.start_date && seg.side) {
      year = Number(main.start_date.slice(0, 4));
      how = 'the main meeting on the same page';
      dateConfidence = Math.min(dateConfidence, 0.7);
    } else if (ctx.pageYears.length === 1) {
      year = ctx.pageYears[0]!;
      how = 'the page heading';
      dateConfidence = Math.min(dateConfidence, 0.7);
    } else if (ctx.publication?.from.y) {
      const pub = ctx.publication.from;
      year = pub.y! + (date.from.m !== null && pub.m !== null && date.from.m < pub.m ? 1 : 0);
      how = `the page's publication date (${ctx.publication.raw})`;
      dateConfidence = Math.min(dateConfidence, 0.5);
    }
    if (year !== null) {
      date = withYear(date, year);
      warnings.push(`date: "${date.raw}" has no year; ${year} was taken from ${how}`);
    } else {
      warnings.push(`date: "${date.raw}" has no year and the page gives none; left empty`);
      date = null;
      dateConfidence = 0;
    }
  }
  let start: string | null = null;
  let end: string | null = null;
  if (date) {
    start = isoDate(date.from, date.precision);
    end = isoDate(date.to, date.precision);
    if (!start) {
      warnings.push(`date: "${date.raw}" is incomplete (${describePoint(date.from)})`);
      date = null;
    }
  }
  if (!date) {
    if (!warnings.some((w) => w.startsWith('date:'))) warnings.push('date: no date of the meeting was found on the page');
    dateConfidence = 0;
  }
  return { date, confidence: dateConfidence, start, end, sentence: prose?.sentence ?? null, dateplaceRest, warnings };
}

function extractSegment(seg: Segment, ctx: Context, position: number, main: ExtractedActivity | null): ExtractedActivity | null {
  const warnings: string[] = [];
  const confidence = emptyConfidence();
  const fields = new Map<FieldName, string>();
  for (const l of seg.lines) if (l.field && !fields.has(l.field.field)) fields.set(l.field.field, l.field.value);
  if (seg.anchor?.field && !fields.has(seg.anchor.field.field)) fields.set(seg.anchor.field.field, seg.anchor.field.value);

  const rawTitle = seg.titleText ?? '';
  const titleNorm = fold(squash(rawTitle));
  const docs = documentsOf(seg.lines, ctx);
  const headerDates = new Set<Line>();
  const bodyLines = seg.lines.filter((l) => {
    if (l === seg.anchor || l === seg.titleLine || l.field || l.nav || l.footer || l.published || docs.used.has(l)) return false;
    if (l.bare) {
      headerDates.add(l);
      return false;
    }
    return fold(l.text) !== titleNorm;
  });
  const narrative = narrativeOf(bodyLines);
  const body = narrative.paragraphs.length ? bodyLines.filter((l) => l.kind !== 'heading').map((l) => l.text) : [];

  // Title
  let title: string | null = rawTitle ? cleanTitle(rawTitle) : null;
  if (title && title.length < 4) title = null;
  if (title) confidence.title = seg.titleSource === 'heading' ? 0.9 : seg.titleSource === 'list' ? 0.8 : seg.titleSource === 'html-title' ? 0.6 : 0.75;
  else warnings.push('title: no line of the page reads as the activity\'s name');

  const pageKind = pageKindOf(rawTitle, body);

  // Type
  let type: ActivityType | null = null;
  const typeField = fields.get('type');
  if (typeField) {
    type = classifyType(fold(typeField), typeField, false);
    if (type) confidence.type = 0.95;
    else warnings.push(`type: "${typeField}" is not a known activity type`);
  }
  if (!type && rawTitle) {
    type = classifyType(fold(rawTitle), rawTitle, seg.side);
    if (type) confidence.type = 0.9;
  }
  if (!type && body.length) {
    const lead = body.slice(0, 2).join(' ');
    type = classifyType(fold(lead), lead, seg.side);
    if (type) confidence.type = 0.6;
  }
  if (!type && seg.side) {
    type = 'other';
    confidence.type = 0.5;
  }
  if (!type) warnings.push('type: the wording names no known activity type (ministerial conference, senior officials\' meeting, workshop, ...)');

  const when = meetingDate(seg, ctx, fields, body, headerDates, rawTitle, position, main);
  warnings.push(...when.warnings);
  const { date, start, end, dateplaceRest } = when;
  confidence.dates = when.confidence;

  const { place, fromField } = placeOf(seg, fields, { dateplaceRest, sentence: when.sentence, rawTitle, body, main }, warnings);
  const formatFound = formatOf(place, fromField, fields, rawTitle, body, warnings);
  const format = formatFound.format;
  confidence.format = formatFound.confidence;
  const city = place?.city ?? null;
  const country = place?.country ?? null;
  if (city || country) confidence.place = place!.confidence;
  else if (format !== 'virtual') warnings.push('place: no city or country of the meeting was found');

  // Host and co-chairs
  const chairs = coChairsOf(fields.get('co_chairs') ?? null, body);
  warnings.push(...chairs.warnings);
  const co_chairs = chairs.found?.value ?? null;
  if (chairs.found) confidence.co_chairs = chairs.found.confidence;
  else warnings.push('co_chairs: the page names no co-chairs');
  const host = hostOf(fields.get('host') ?? null, body);
  if (host) confidence.host = host.confidence;
  else warnings.push('host: the page names no host');

  // Themes
  let themes: string[] | null = null;
  const themeField = fields.get('themes');
  if (themeField) {
    const mapped = mapThemes(themeField, start);
    warnings.push(...mapped.warnings);
    if (mapped.codes.length) {
      themes = mapped.codes;
      confidence.themes = mapped.confidence;
    }
  }
  if (!themes && rawTitle) {
    const inTitle = themesInText(rawTitle, start);
    if (inTitle.length) {
      themes = inTitle;
      confidence.themes = 0.8;
    }
  }
  if (!themes && !themeField) warnings.push('themes: the page states no pillar, domain or theme');

  // Figures
  const figures: Record<FigureMention['kind'], Figure | null> = { participants: null, countries_count: null, organisations_count: null };
  const participantsField = fields.get('participants');
  if (participantsField) {
    const m = /\d[\d .,\u202f]*/.exec(participantsField);
    const value = m ? Number(m[0].replace(/[ .,\u202f]/g, '')) : NaN;
    if (Number.isFinite(value) && value > 0) {
      const mentions = figuresIn([`${participantsField} participants`], ctx.lang);
      figures.participants = mentions.find((x) => x.kind === 'participants')?.figure ?? { value, qualifier: 'exact' };
      confidence.participants = 0.9;
    }
  }
  const mentions = figuresIn(body, ctx.lang);
  for (const kind of ['participants', 'countries_count', 'organisations_count'] as const) {
    const of = mentions.filter((x) => x.kind === kind);
    const first = of[0];
    if (!figures[kind] && first) {
      figures[kind] = first.figure;
      confidence[kind] = kind === 'participants' ? 0.8 : 0.75;
      if (first.both) {
        confidence[kind] = 0.65;
        warnings.push(`${kind}: "${first.figure.value} countries and organisations" counts both together; recorded as countries`);
      }
    }
    const kept = figures[kind];
    const other = of.find((x) => x.figure.value !== kept?.value);
    if (kept && other) warnings.push(`${kind}: the page also gives ${other.figure.qualifier === 'exact' ? '' : `${other.figure.qualifier} `}${other.figure.value}; kept the first figure, ${kept.value}`);
  }
  if (!figures.participants) warnings.push('participants: the page gives no number of participants');

  // Documents, photos, narrative
  if (docs.documents.length) confidence.documents = 0.85;
  if (narrative.html) confidence.body = pageKind === 'report' ? 0.8 : pageKind === 'announcement' ? 0.6 : 0.7;

  // An entry of a list page with nothing but a title is not worth a record on its own; say so.
  if (!title && !start) return null;

  return {
    title,
    type,
    start_date: start,
    end_date: end,
    date_precision: date ? date.precision : null,
    city,
    venue: place?.venue ?? null,
    country,
    format,
    host: host?.value ?? null,
    co_chairs,
    themes,
    participants: figures.participants,
    countries_count: figures.countries_count,
    organisations_count: figures.organisations_count,
    documents: docs.documents,
    photos: docs.photos,
    body_html: narrative.html,
    summary: narrative.summary,
    language: ctx.lang,
    page_kind: pageKind,
    side_event: seg.side,
    entry_url: ctx.layout === 'list' && seg.titleLine?.links[0] ? resolveUrl(seg.titleLine.links[0].href, ctx.baseUrl) : null,
    position,
    confidence,
    warnings,
  };
}

function langFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const m = /^\/(en|fr|es|pt|it)(?:[/_-]|$)/.exec(new URL(url).pathname);
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Extracts the activities a saved page describes: one for a meeting's page, one more for each side
 * event it describes, one per entry of a list page.
 */
export function extractActivities(input: ExtractInput): ExtractionResult {
  const page = readPage(input);
  const lines = page.lines.map(analyse);
  const sourceUrl = input.sourceUrl ?? (page.foundUrl && resolveUrl(page.foundUrl, null)) ?? null;
  const allText = lines.map((l) => l.text).join('\n');
  const lang = detectLanguage(allText, page.declaredLang ?? langFromUrl(sourceUrl));
  const warnings: string[] = [];
  if (!lines.length) {
    return { activities: [], warnings: ['the page has no text'], language: lang, sourceUrl, layout: 'detail' };
  }
  const { layout, segments, header } = segmentPage(lines, page);
  const publicationLine = lines.find((l) => l.published && l.dates.length);
  const headerBare = header.filter((l) => l.bare && !l.published);
  const ctx: Context = {
    lang,
    layout,
    baseUrl: sourceUrl,
    pageYears: yearsIn(header.filter((l) => !l.bare && !l.published).map((l) => l.text).join(' ')),
    publication: publicationLine?.dates[0] ?? null,
    headerDate: layout === 'detail' ? (headerBare[0]?.bare?.date ?? null) : null,
  };
  const activities: ExtractedActivity[] = [];
  let main: ExtractedActivity | null = null;
  for (const seg of segments) {
    const a = extractSegment(seg, ctx, activities.length, main);
    if (!a) continue;
    // A page is about an activity only when something says so: its name, its date, or its wording.
    const about = a.start_date || (a.title && ACTIVITY_NOUNS.test(fold(a.title))) || a.type;
    if (!about) continue;
    if (!seg.side) main ??= a;
    activities.push(a);
  }
  if (!activities.length) warnings.push('no activity found: the page has no line that reads as a meeting\'s name, and no date of a meeting');
  return { activities, warnings, language: lang, sourceUrl, layout };
}
