import type { ActivityFormat, ActivityType, DocumentType, Figure } from '../activities/index.js';
import type { DatePrecision } from './legacy.dates.js';
import type { PageLanguage } from './legacy.text.js';

/** Fields of an extracted activity that carry a confidence. */
export const CONFIDENCE_KEYS = [
  'title',
  'type',
  'dates',
  'place',
  'format',
  'host',
  'co_chairs',
  'themes',
  'participants',
  'countries_count',
  'organisations_count',
  'documents',
  'body',
] as const;
export type ConfidenceKey = (typeof CONFIDENCE_KEYS)[number];
export type Confidence = Record<ConfidenceKey, number>;

export interface ExtractedDocument {
  title: string;
  type: DocumentType;
  /** Absolute http(s) address of the file when the page links it. */
  url: string | null;
}

/** What a page says about one activity; every field it could not determine is null, with a warning. */
export interface ExtractedActivity {
  title: string | null;
  type: ActivityType | null;
  start_date: string | null;
  end_date: string | null;
  date_precision: DatePrecision | null;
  city: string | null;
  venue: string | null;
  /** ISO 3166 alpha-2. */
  country: string | null;
  format: ActivityFormat | null;
  /** A country (ISO alpha-2, upper case) or an organisation (directory code, lower case). */
  host: string | null;
  co_chairs: string[] | null;
  themes: string[] | null;
  participants: Figure | null;
  countries_count: Figure | null;
  organisations_count: Figure | null;
  documents: ExtractedDocument[];
  photos: string[];
  /** The narrative as simple, sanitised HTML paragraphs. */
  body_html: string | null;
  summary: string | null;
  language: PageLanguage;
  /** A look-back or report (the meeting was held), an announcement, or unknown. */
  page_kind: 'report' | 'announcement' | 'unknown';
  side_event: boolean;
  /** For an entry of a list page: the address its title links to (the activity's own old page), if any. */
  entry_url: string | null;
  /** Order on the page (0 for the first or main activity). */
  position: number;
  confidence: Confidence;
  warnings: string[];
}

export interface ExtractionResult {
  activities: ExtractedActivity[];
  /** Page-level warnings (nothing found, unreadable parts). */
  warnings: string[];
  language: PageLanguage;
  /** The address given with --source-url, or found in the saved page. */
  sourceUrl: string | null;
  /** A page about one activity (and its side events), or a list of activities. */
  layout: 'detail' | 'list';
}

export interface ExtractInput {
  text?: string | undefined;
  html?: string | undefined;
  sourceUrl?: string | null | undefined;
  fileName?: string | null | undefined;
}

/** The import-legacy command's options. */
export interface ImportOptions {
  dryRun: boolean;
  /** Publish new records at once (and merged changes to published ones) instead of leaving drafts for review. */
  publish: boolean;
  json: boolean;
  sourceUrl: string | null;
  files: string[];
}
