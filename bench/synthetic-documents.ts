/**
 * A synthetic library for the search benchmark (bench/search.ts): N published public documents in
 * English and French, each with one or two current files whose text has been read (about ten pages
 * of about 300 words each), linked to themes, countries and activities of the record. The words
 * follow a Zipf-like law over a vocabulary of real words (stop words first, then the subject's
 * words and phrases, French with its accents) and a long tail of made-up words, so the text has
 * very common, common, rare and unique terms (each document's reference number is its own).
 * Written straight into the tables in batches (test data for measuring reads, not a path for real
 * records, which go through the commands). Deterministic: the same N gives the same library.
 */
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.js';
import { DOCUMENT_TYPES } from '../src/modules/documents/documents.schemas.js';

/** A small deterministic generator (mulberry32), so two runs measure the same record. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STOP_EN = 'the of and to in a is that for on with as by be are this it from at or an was which not have has its their were been also all more these other such can will may but into than'.split(' ');
const STOP_FR = 'de la le et les des à en du un une est que pour dans sur par au qui avec plus ne pas ce sont aux ses leur été aussi comme entre mais ou où cette ces elle il nous'.split(' ');

/** The subject's words, commonest first (after the stop words). */
const CONTENT_EN = (
  'migration countries cooperation dialogue border management protection return reintegration development labour mobility asylum data ' +
  'partnership capacity youth legal pathways trafficking smuggling diaspora remittances governance policy framework meeting workshop ' +
  'conference ministerial declaration action plan recommendations participants delegation secretariat member states partners region ' +
  'regional national international african european mediterranean north west east central sahel coastal rural urban community ' +
  'women children rights health education employment skills training recognition qualifications visa residence integration ' +
  'reception centre camp displacement displaced persons refugees climate environment drought famine conflict security stability ' +
  'prevention awareness campaign information exchange statistics survey census registry identity document passport consular ' +
  'services assistance voluntary humanitarian emergency response resilience livelihoods investment entrepreneurship financing ' +
  'budget funding donors project programme implementation monitoring evaluation indicators results outcomes lessons learned ' +
  'good practices guidelines handbook toolkit study analysis research report annex agenda minutes session plenary panel ' +
  'presentation expert experts technical working group steering committee chair chairs rotating presidency ordinary extraordinary ' +
  'consultation negotiation agreement memorandum understanding readmission bilateral multilateral global compact sustainable goals ' +
  'vulnerable unaccompanied minors victims survivors exploitation forced recruitment agencies workers seasonal circular students ' +
  'academic exchange scholarships families reunification nationality statelessness detention alternatives screening referral ' +
  'mechanisms digital platform database interoperability biometric surveillance coastguard maritime routes crossings departures arrivals'
).split(' ');
const CONTENT_FR = (
  'migration pays coopération dialogue frontières gestion protection retour réintégration développement travail mobilité asile données ' +
  'partenariat capacités jeunesse voies légales traite trafic diaspora transferts gouvernance politique cadre réunion atelier ' +
  'conférence ministérielle déclaration plan action recommandations participants délégation secrétariat états membres partenaires région ' +
  'régionale nationale internationale africaine européenne méditerranéenne nord ouest est centrale sahel côtière rurale urbaine communauté ' +
  'femmes enfants droits santé éducation emploi compétences formation reconnaissance qualifications visa séjour intégration ' +
  'accueil centre camp déplacement déplacés personnes réfugiés climat environnement sécheresse famine conflit sécurité stabilité ' +
  'prévention sensibilisation campagne échange informations statistiques enquête recensement registre identité passeport consulaire ' +
  'services assistance volontaire humanitaire urgence réponse résilience moyens subsistance investissement entrepreneuriat financement ' +
  'budget fonds bailleurs projet programme mise œuvre suivi évaluation indicateurs résultats leçons apprises ' +
  'bonnes pratiques lignes directrices manuel boîte outils étude analyse recherche rapport annexe ordre jour procès-verbal séance plénière ' +
  'présentation expert experts technique groupe travail comité pilotage présidence tournante ordinaire extraordinaire ' +
  'consultation négociation accord mémorandum entente réadmission bilatéral multilatéral pacte mondial objectifs durables ' +
  'vulnérables mineurs non accompagnés victimes survivants exploitation forcée recrutement agences travailleurs saisonniers circulaires étudiants ' +
  'échanges académiques bourses familles regroupement nationalité apatridie rétention alternatives dépistage orientation ' +
  'mécanismes numérique plateforme interopérabilité biométrique surveillance garde-côtes maritimes routes traversées départs arrivées transfrontalière'
).split(' ');
/** Phrases that recur as such (vocabulary items of several words), for phrase searches. */
const PHRASES_EN = ['border management', 'labour migration', 'legal pathways', 'return and reintegration', 'trafficking in human beings', 'voluntary return', 'irregular migration', 'data protection', 'member states', 'action plan'];
const PHRASES_FR = ['gestion des frontières', 'migration de travail', 'voies légales', 'retour et réintégration', 'traite des êtres humains', 'retour volontaire', 'migration irrégulière', 'protection des données', 'états membres', "plan d'action", 'coopération transfrontalière'];

/** Made-up words for the long tail of the law (rare terms). */
function tail(syllables: string[], count: number, seed: number): string[] {
  const rnd = random(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const n = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rnd() * syllables.length)]!;
    out.add(w);
  }
  return [...out];
}
const SYL_EN = 'ka lo mer tin sa vo ri den gal pho stru ne bar qui zel tor ven ash mon dra fel cor lix ump hab sen wor tal'.split(' ');
const SYL_FR = 'ré mè ça lé bou tan ière gné vil ô rou cha pé lon dé sol fra eau mi què gui teau ver nâ fon zé'.split(' ');

export interface Vocabulary {
  /** Every item, commonest first (some items are phrases). */
  items: string[];
  /** The subject's words (ranks just after the stop words). */
  content: string[];
  phrases: string[];
  /** The made-up words, commonest first. */
  tail: string[];
}

const TAIL_SIZE = 30_000;

function vocabulary(lang: 'en' | 'fr'): Vocabulary {
  const stop = lang === 'en' ? STOP_EN : STOP_FR;
  const content = lang === 'en' ? CONTENT_EN : CONTENT_FR;
  const phrases = lang === 'en' ? PHRASES_EN : PHRASES_FR;
  const made = tail(lang === 'en' ? SYL_EN : SYL_FR, TAIL_SIZE, lang === 'en' ? 11 : 12);
  // The phrases sit among the subject's words (ranks 20, 40, ...).
  const middle = [...content];
  phrases.forEach((p, i) => middle.splice(20 * (i + 1), 0, p));
  return { items: [...stop, ...middle, ...made], content, phrases, tail: made };
}

export const VOCABULARY = { en: vocabulary('en'), fr: vocabulary('fr') } as const;

/** Zipf weights 1/(rank + q)^s, as a cumulative table for sampling. */
function cumulative(n: number, s = 1.07, q = 2.7): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) c[r] = sum += 1 / Math.pow(r + 1 + q, s);
  for (let r = 0; r < n; r++) c[r]! /= sum;
  return c;
}
const CUMULATIVE = { en: cumulative(VOCABULARY.en.items.length), fr: cumulative(VOCABULARY.fr.items.length) };

function sampler(lang: 'en' | 'fr', rnd: () => number): () => string {
  const c = CUMULATIVE[lang];
  const items = VOCABULARY[lang].items;
  return () => {
    const x = rnd();
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

export const WORDS_PER_PAGE = 300;

/** The text of one file: pages of sentences of Zipf-drawn words, with the document's reference in it. */
function fileText(lang: 'en' | 'fr', pages: number, reference: string, rnd: () => number): { text: string; words: number } {
  const word = sampler(lang, rnd);
  const out: string[] = [];
  let words = 0;
  for (let p = 0; p < pages; p++) {
    const page: string[] = [];
    let n = 0;
    while (n < WORDS_PER_PAGE) {
      const len = 8 + Math.floor(rnd() * 16);
      const sentence: string[] = [];
      for (let i = 0; i < len; i++) sentence.push(word());
      sentence[0] = sentence[0]!.charAt(0).toUpperCase() + sentence[0]!.slice(1);
      page.push(`${sentence.join(' ')}.`);
      n += len;
    }
    if (p === 0) page.unshift(`${reference}.`);
    out.push(page.join(' '));
    words += n;
  }
  return { text: out.join('\n\n'), words };
}

/** Inserts rows in batches that stay under SQLite's classic limit of 999 bound parameters. */
async function insertBatches(db: Db, table: string, rows: Record<string, unknown>[], maxRows = 500): Promise<void> {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.min(maxRows, Math.floor(999 / perRow)));
  for (let i = 0; i < rows.length; i += size) {
    await (db as unknown as { insertInto(t: string): { values(v: unknown[]): { execute(): Promise<unknown> } } }).insertInto(table).values(rows.slice(i, i + size)).execute();
  }
}

export interface GeneratedLibrary {
  ms: number;
  documents: number;
  files: number;
  pages: number;
  words: number;
  characters: number;
}

/** The reference number of a synthetic document (unique, so a search for it finds one document). */
export const referenceOf = (id: number, year: number) => `DWN/${year}/${String(id).padStart(6, '0')}`;

/**
 * Adds `count` published public documents (ids after the existing ones) in one transaction, each
 * with about `pages` pages per file; returns what was written and how long it took.
 */
export async function generateDocuments(db: Db, count: number, options: { pages?: number; seed?: number } = {}): Promise<GeneratedLibrary> {
  const started = performance.now();
  const meanPages = options.pages ?? 10;
  const rnd = random(options.seed ?? 12_012);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const countries = (await db.selectFrom('countries').select('code').orderBy('code').execute()).map((c) => c.code);
  const themes = (await db.selectFrom('themes').select('id').orderBy('id').execute()).map((t) => t.id);
  const activities = (await db.selectFrom('activities').select('id').where('workflow', '=', 'published').orderBy('id').execute()).map((a) => a.id);
  const maxDoc = Number((await db.selectFrom('documents').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);
  const maxFile = Number((await db.selectFrom('document_files').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);
  const now = new Date().toISOString();
  const stats = { documents: 0, files: 0, pages: 0, words: 0, characters: 0 };
  let fileId = maxFile;
  const CHUNK = 500;
  await db.transaction().execute(async (trx) => {
    const t = trx as unknown as Db;
    for (let start = 0; start < count; start += CHUNK) {
      const docs: Record<string, unknown>[] = [];
      const translations: Record<string, unknown>[] = [];
      const files: Record<string, unknown>[] = [];
      const texts: Record<string, unknown>[] = [];
      const docThemes: Record<string, unknown>[] = [];
      const docCountries: Record<string, unknown>[] = [];
      const docActivities: Record<string, unknown>[] = [];
      for (let n = start; n < Math.min(count, start + CHUNK); n++) {
        const id = maxDoc + 1 + n;
        const year = 2006 + Math.floor(rnd() * 20);
        const date = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
        const published = new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000 * Math.floor(rnd() * 30));
        const type = DOCUMENT_TYPES[Math.min(DOCUMENT_TYPES.length - 1, Math.floor(Math.pow(rnd(), 1.6) * DOCUMENT_TYPES.length))]!;
        const reference = referenceOf(id, year);
        // 45% in both languages, 35% in English only, 20% in French only.
        const r = rnd();
        const langs: ('en' | 'fr')[] = r < 0.45 ? ['en', 'fr'] : r < 0.8 ? ['en'] : ['fr'];
        docs.push({
          id,
          key: `synthetic-doc-${id}`,
          type,
          doc_date: date,
          reference,
          access: 'public',
          access_roles: '',
          access_activity_id: null,
          workflow: 'published',
          published_at: (published.getTime() < Date.now() ? published : new Date(Date.now() - 86_400_000)).toISOString(),
          version: 1,
          pending_version: null,
          created_at: now,
          updated_at: now,
          updated_by: null,
          edited_at: null,
        });
        const subject = `${pick(CONTENT_EN.slice(0, 60))} ${pick(CONTENT_EN)}`;
        const subjectFr = `${pick(CONTENT_FR.slice(0, 60))} ${pick(CONTENT_FR)}`;
        for (const lang of langs) {
          const title = lang === 'en' ? `${type.replace(/_/g, ' ')} on ${subject} ${year}` : `${type.replace(/_/g, ' ')} : ${subjectFr} ${year}`;
          const slug = `${title.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${id}`;
          const description = lang === 'en' ? `${title[0]!.toUpperCase()}${title.slice(1)}: a synthetic document of the library (${reference}).` : `${title[0]!.toUpperCase()}${title.slice(1)} : un document synthétique de la bibliothèque (${reference}).`;
          translations.push({ document_id: id, lang, title, slug, description, updated_at: now });
        }
        // Two files when the document is in both languages, most of the time; one otherwise.
        const fileLangs = langs.length === 2 && rnd() < 0.6 ? langs : [langs[0]!];
        const pages = Math.max(1, Math.round(meanPages * (0.2 + rnd() * 1.6)));
        for (const lang of fileLangs) {
          fileId++;
          const { text, words } = fileText(lang, pages, reference, rnd);
          files.push({
            id: fileId,
            document_id: id,
            lang,
            version: 1,
            status: 'adopted',
            storage_key: `synthetic/${id}-${lang}`,
            sha256: `${id}-${lang}`.padEnd(64, '0'),
            size_bytes: text.length * 4,
            kind: 'pdf',
            mime: 'application/pdf',
            file_name: `${reference.replace(/\//g, '-')}-${lang}.pdf`,
            pages,
            text_state: 'done',
            text_error: null,
            text_lang: lang,
            thumbnail_key: null,
            uploaded_at: now,
            uploaded_by: null,
          });
          texts.push({ file_id: fileId, text });
          stats.files++;
          stats.pages += pages;
          stats.words += words;
          stats.characters += text.length;
        }
        const chosenThemes = new Set<number>();
        for (let i = 0, m = 1 + Math.floor(rnd() * 3); i < m && themes.length; i++) chosenThemes.add(themes[Math.floor(Math.pow(rnd(), 1.5) * themes.length)]!);
        for (const theme_id of chosenThemes) docThemes.push({ document_id: id, theme_id });
        const chosenCountries = new Set<string>();
        for (let i = 0, m = Math.floor(rnd() * 4); i < m && countries.length; i++) chosenCountries.add(countries[Math.floor(Math.pow(rnd(), 1.5) * countries.length)]!);
        for (const country_code of chosenCountries) docCountries.push({ document_id: id, country_code });
        if (activities.length && rnd() < 0.6) docActivities.push({ document_id: id, activity_id: pick(activities), position: 0 });
        stats.documents++;
      }
      await insertBatches(t, 'documents', docs);
      await insertBatches(t, 'document_translations', translations);
      await insertBatches(t, 'document_files', files);
      await insertBatches(t, 'document_texts', texts, 50);
      await insertBatches(t, 'document_themes', docThemes);
      await insertBatches(t, 'document_countries', docCountries);
      await insertBatches(t, 'document_activities', docActivities);
    }
  });
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    // The sequences must move past the ids given explicitly.
    await sql`select setval(pg_get_serial_sequence('documents', 'id'), (select max(id) from documents))`.execute(db);
    await sql`select setval(pg_get_serial_sequence('document_files', 'id'), (select max(id) from document_files))`.execute(db);
  }
  return { ms: performance.now() - started, ...stats };
}
