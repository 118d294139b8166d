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
  retired: Generated<number>;
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
  /** Set on every insert: a new record is a draft unless its writer says otherwise. */
  workflow: string;
  version: Generated<number>;
  updated_by: number | null;
  pending_version: Generated<number | null>;
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

/** Each country an activity is about, once: where, host, co-chairs (kept by the activity commands). */
export interface ActivityCountryTable {
  activity_id: number;
  country_code: string;
}

/** Each theme an activity carries and every theme above it, once (kept by the activity commands). */
export interface ActivityThemeIndexTable {
  activity_id: number;
  theme_id: number;
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

export interface RoleTable {
  code: string;
  position: number;
}

export interface RolePermissionTable {
  role_code: string;
  permission: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string | null;
  role_code: string;
  country_code: string | null;
  organisation_id: number | null;
  status: string;
  preferred_lang: Generated<string>;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  password_changed_at: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AuthTokenTable {
  id: string;
  user_id: number;
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: string;
}

export interface OutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  purpose: string;
  created_at: string;
  sent_at: string | null;
  error: string | null;
  /** Files sent with the message (JSON: name, type, text), migration 0019. */
  attachments: string | null;
  /** The record the message is about (`registration:12`), migration 0021. */
  about: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface RevisionTable {
  id: Generated<number>;
  version: number;
  saved_at: string;
  saved_by: number | null;
  snapshot: string;
}

/** One saved state of an editable record (see platform/editorial). */
export interface EditorialRevisionTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  version: number;
  state: string;
  action: string;
  saved_at: string;
  saved_by: number | null;
  snapshot: string;
}

export interface SlugRedirectTable {
  entity_type: string;
  lang: string;
  old_slug: string;
  entity_id: number;
}

export interface PageTable {
  id: Generated<number>;
  key: string | null;
  workflow: string;
  published_at: string | null;
  nav_position: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
  edited_at: string | null;
  pending_version: Generated<number | null>;
}

export interface PageTranslationTable {
  page_id: number;
  lang: string;
  title: string;
  slug: string;
  body_html: string;
  updated_at: string;
}

export interface SearchEntryTable {
  id: Generated<number>;
  source: string;
  entity_id: number;
  lang: string;
  audience: Generated<string>;
  slug: string;
  title: string;
  body: string;
  title_terms: string;
  body_terms: string;
  date: string | null;
  published_at: string | null;
}

export interface SearchSourceTable {
  source: string;
  fingerprint: string;
}

export interface DocumentTable {
  id: Generated<number>;
  key: string | null;
  type: string;
  doc_date: string | null;
  reference: string | null;
  /** public, partners, participants, restricted (to access_roles) or inherit (from access_activity_id). */
  access: string;
  /** Role codes, comma-separated, for the restricted tier. */
  access_roles: string;
  access_activity_id: number | null;
  workflow: string;
  published_at: string | null;
  version: Generated<number>;
  pending_version: Generated<number | null>;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
  edited_at: string | null;
}

export interface DocumentTranslationTable {
  document_id: number;
  lang: string;
  title: string;
  slug: string;
  description: string;
  updated_at: string;
}

export interface DocumentFileTable {
  id: Generated<number>;
  document_id: number;
  lang: string;
  version: number;
  /** draft or adopted. */
  status: string;
  storage_key: string;
  sha256: string;
  /** A bigint: PostgreSQL returns it as a string, so read it through Number(). */
  size_bytes: number | string;
  kind: string;
  mime: string;
  file_name: string;
  pages: number | null;
  text_state: string;
  text_error: string | null;
  /** Attempts the extraction job has started at this file's text (counted before each read). */
  text_attempts: Generated<number>;
  text_lang: string | null;
  thumbnail_key: string | null;
  uploaded_at: string;
  uploaded_by: number | null;
}

export interface DocumentTextTable {
  file_id: number;
  text: string;
}

export interface DocumentActivityTable {
  document_id: number;
  activity_id: number;
  position: number;
}

export interface DocumentThemeTable {
  document_id: number;
  theme_id: number;
}

export interface DocumentCountryTable {
  document_id: number;
  country_code: string;
}

export interface FileOrphanTable {
  storage_key: string;
  seen_at: string;
}

export interface AlertSubscriptionTable {
  id: Generated<number>;
  email: string;
  lang: string;
  /** 'documents' (the library with its filters) or 'search' (the site search). */
  scope: string;
  /** The search as a canonical query string (q=...&type=...). */
  params: string;
  status: 'pending' | 'active';
  confirm_hash: string | null;
  token: string;
  created_at: string;
  confirm_sent_at: string | null;
  confirm_count: Generated<number>;
  confirmed_at: string | null;
  sent_until: string | null;
  last_outbox_id: number | null;
  digests_sent: Generated<number>;
}

export interface AlertRateTable {
  key: string;
  count: number;
  window_start: string;
}

export interface MeetingAgendaTable {
  activity_id: number;
  time_zone: string;
  updated_at: string;
}

export interface AgendaSessionTable {
  id: Generated<number>;
  activity_id: number;
  day: string;
  starts: string;
  ends: string;
  kind: string;
  track: number;
  room: string;
  created_at: string;
  updated_at: string;
}

export interface AgendaSessionTranslationTable {
  session_id: number;
  lang: string;
  title: string;
  description: string;
}

export interface AgendaSessionPersonTable {
  session_id: number;
  position: number;
  role: string;
  name: string;
  affiliation: string;
}

export interface AgendaSessionDocumentTable {
  session_id: number;
  document_id: number;
  position: number;
}

export interface MeetingPracticalTable {
  activity_id: number;
  lang: string;
  address: string;
  contact: string;
  notes: string;
}

/** A meeting's registration settings (migration 0019). */
export interface MeetingRegistrationTable {
  activity_id: number;
  open: number;
  /** The last day registrations are taken, to its end in the venue's time zone. */
  closes_on: string | null;
  capacity: number | null;
  approval: string;
  seq: Generated<number>;
  updated_at: string;
  /** Who may use the public form: `public`, `link` (with `form_key`) or `invited` (delegations only), migration 0020. */
  form: Generated<string>;
  form_key: string | null;
}

/** One person's registration for a meeting. */
export interface RegistrationTable {
  id: Generated<number>;
  activity_id: number;
  token: string;
  state: string;
  lang: string;
  title: string;
  given_name: string;
  family_name: string;
  gender: string;
  function: string;
  institution: string;
  country_code: string | null;
  organisation_id: number | null;
  email: string;
  email_key: string;
  phone: string;
  languages: string;
  dietary: string;
  accessibility: string;
  travel_support: number;
  visa_letter: number;
  consent_public: number;
  consent_data: number;
  created_at: string;
  updated_at: string;
  queued_at: string;
  decided_at: string | null;
  /** The delegation the registrant was nominated in, and by whom (migration 0020). */
  invitation_id: number | null;
  nominated_by: number | null;
  /** The value of the badge's QR code, given at approval. */
  badge_code: string | null;
  attended_at: string | null;
  attended_by: number | null;
  /** When the person's details were erased at their request (what counts stays). */
  erased_at: string | null;
}

/** A partner invited to a meeting with seats for its delegation (migration 0020). */
export interface MeetingInvitationTable {
  id: Generated<number>;
  activity_id: number;
  country_code: string | null;
  organisation_id: number | null;
  seats: number;
  head_registration_id: number | null;
  created_at: string;
  updated_at: string;
}

/** A PDF printed for organisers (badges, lists, letters, certificates), with the key of what it shows (migration 0020). */
export interface MeetingPrintTable {
  activity_id: number;
  kind: string;
  /** The registration printed alone, or 0 for the meeting's whole set. */
  subject: number;
  lang: string;
  content_key: string;
  pdf: Buffer | null;
  failed_at: string | null;
  created_at: string;
}

/** A question an organiser adds to a meeting's registration form (migration 0021). */
export interface RegistrationFieldTable {
  id: Generated<number>;
  activity_id: number;
  position: number;
  /** text, choice, yes_no or date. */
  kind: string;
  required: number;
  /** JSON: the label in each language. */
  labels: string;
  /** JSON: the options of a choice, each in each language. */
  options: Generated<string>;
  retired: Generated<number>;
  created_at: string;
}

/** A registrant's answer to an organiser's question. */
export interface RegistrationAnswerTable {
  registration_id: number;
  field_id: number;
  value: string;
}

/** The nomination letter attached to an invitation. */
export interface InvitationLetterTable {
  invitation_id: number;
  file_name: string;
  mime: string;
  size: number;
  content: Buffer;
  uploaded_by: number | null;
  uploaded_at: string;
}

/** A registrant's passport details, for a visa support letter; read with `registration.read_passport` only. */
export interface RegistrationPassportTable {
  registration_id: number;
  nationality: string;
  passport_number: string;
  passport_expiry: string;
}

export interface AgendaPdfTable {
  activity_id: number;
  lang: string;
  content_key: string;
  pdf: Buffer;
  created_at: string;
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
  activity_countries: ActivityCountryTable;
  activity_theme_index: ActivityThemeIndexTable;
  activity_documents: ActivityDocumentTable;
  activity_document_titles: ActivityDocumentTitleTable;
  activity_relations: ActivityRelationTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  users: UserTable;
  sessions: SessionTable;
  auth_tokens: AuthTokenTable;
  login_throttle: LoginThrottleTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  activity_revisions: RevisionTable & { activity_id: number };
  slug_redirects: SlugRedirectTable;
  pages: PageTable;
  page_translations: PageTranslationTable;
  page_revisions: RevisionTable & { page_id: number };
  revisions: EditorialRevisionTable;
  search_entries: SearchEntryTable;
  search_sources: SearchSourceTable;
  documents: DocumentTable;
  document_translations: DocumentTranslationTable;
  document_files: DocumentFileTable;
  document_texts: DocumentTextTable;
  document_activities: DocumentActivityTable;
  document_themes: DocumentThemeTable;
  document_countries: DocumentCountryTable;
  file_orphans: FileOrphanTable;
  alert_subscriptions: AlertSubscriptionTable;
  alert_rate: AlertRateTable;
  meeting_agendas: MeetingAgendaTable;
  agenda_sessions: AgendaSessionTable;
  agenda_session_translations: AgendaSessionTranslationTable;
  agenda_session_people: AgendaSessionPersonTable;
  agenda_session_documents: AgendaSessionDocumentTable;
  agenda_pdfs: AgendaPdfTable;
  meeting_practical: MeetingPracticalTable;
  meeting_registration: MeetingRegistrationTable;
  registrations: RegistrationTable;
  registration_passports: RegistrationPassportTable;
  meeting_invitations: MeetingInvitationTable;
  invitation_letters: InvitationLetterTable;
  meeting_prints: MeetingPrintTable;
  registration_fields: RegistrationFieldTable;
  registration_answers: RegistrationAnswerTable;
}
