import type { Generated } from 'kysely';

/**
 * Table types of the whole database. Each module owns its tables; they are gathered here so that
 * one Kysely instance can join across modules (an activity joins countries and themes).
 * Dates are ISO text ('2015-06-15', '2015-06' or '2015' with a precision column); timestamps are ISO
 * text in UTC; booleans are 0/1 integers, so both SQLite and PostgreSQL read back the same values.
 */
export interface SiteStateTable {
  key: string;
  value: string;
}

export interface CountryTable {
  code: string;
  region: string;
  status: string;
  founder: number;
  edited_at: string | null;
}

export interface CountryNameTable {
  country_code: string;
  lang: string;
  name: string;
}

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  kind: string;
  edited_at: string | null;
}

export interface OrganisationNameTable {
  organisation_id: number;
  lang: string;
  name: string;
  abbr: string | null;
}

export interface FrameworkTable {
  id: Generated<number>;
  code: string;
  adopted_on: string | null;
  period_start: number | null;
  period_end: number | null;
  position: number;
  edited_at: string | null;
}

export interface FrameworkNameTable {
  framework_id: number;
  lang: string;
  name: string;
  short_name: string;
}

export interface ThemeTable {
  id: Generated<number>;
  code: string;
  framework_id: number;
  parent_id: number | null;
  level: string;
  number: string | null;
  position: number;
  retired: Generated<number>;
  edited_at: string | null;
}

export interface ThemeNameTable {
  theme_id: number;
  lang: string;
  name: string;
}

export interface ActivityTable {
  id: Generated<number>;
  key: string | null;
  type: string;
  status: string;
  start_date: string;
  end_date: string | null;
  date_precision: string;
  format: string;
  country_code: string | null;
  host_country_code: string | null;
  host_organisation_id: number | null;
  participants: number | null;
  participants_qualifier: string | null;
  countries_count: number | null;
  countries_qualifier: string | null;
  organisations_count: number | null;
  organisations_qualifier: string | null;
  gallery_url: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
}

export interface ActivityTranslationTable {
  activity_id: number;
  lang: string;
  title: string;
  slug: string;
  summary: string;
  narrative_html: string;
  city: string | null;
  venue: string | null;
  updated_at: string;
}

export interface ActivityCoChairTable {
  activity_id: number;
  position: number;
  country_code: string | null;
  organisation_id: number | null;
}

export interface ActivityThemeTable {
  activity_id: number;
  theme_id: number;
}

export interface ActivityDocumentTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  type: string;
  url: string | null;
  lang: string;
  size_bytes: number | null;
  mime: string | null;
}

export interface ActivityDocumentTitleTable {
  document_id: number;
  lang: string;
  title: string;
}

export interface ActivityRelationTable {
  activity_id: number;
  related_activity_id: number;
}

export interface Database {
  site_state: SiteStateTable;
  countries: CountryTable;
  country_names: CountryNameTable;
  organisations: OrganisationTable;
  organisation_names: OrganisationNameTable;
  frameworks: FrameworkTable;
  framework_names: FrameworkNameTable;
  themes: ThemeTable;
  theme_names: ThemeNameTable;
  activities: ActivityTable;
  activity_translations: ActivityTranslationTable;
  activity_co_chairs: ActivityCoChairTable;
  activity_themes: ActivityThemeTable;
  activity_documents: ActivityDocumentTable;
  activity_document_titles: ActivityDocumentTitleTable;
  activity_relations: ActivityRelationTable;
}
