import { editorialAbilities } from '../../platform/editorial/abilities.js';
import { has, type Actor } from '../../platform/policy.js';
import type { AccessTier } from './documents.schemas.js';

/** What an actor may do with documents in the back-office: the editorial workflow on `document.*`, and adding files. */
export function documentAbilities(actor: Actor | null, document?: { workflow: string; pendingVersion?: number | null }) {
  const base = editorialAbilities(actor, 'document', document);
  return { ...base, upload: base.edit, import: has(actor, 'document.import') };
}
export type DocumentAbilities = ReturnType<typeof documentAbilities>;

/** What the read decision needs of a document, as loaded with it. */
export interface DocumentAccessRecord {
  workflow: string;
  publishedAt: string | null;
  access: AccessTier | string;
  /** Role codes of the restricted tier. */
  accessRoles: readonly string[];
  /**
   * The meeting it belongs to, for the participants and inherit tiers: whether the public sees it
   * now (published, publication time passed). Null when the document names none.
   */
  parent: { id: number; visible: boolean } | null;
}

/**
 * Whether an actor (null: an anonymous visitor) may open a document and its files: the one read
 * decision of the library, taken on the loaded record at every request. Unknown tiers and missing
 * data refuse (fail closed). The participants tier opens to the staff only until meeting
 * registrations exist: nobody is yet recorded as a meeting's participant.
 */
export function mayReadDocument(actor: Actor | null, doc: DocumentAccessRecord, now: string): boolean {
  if (has(actor, 'document.read_all')) return true;
  const live = doc.workflow === 'published' && doc.publishedAt !== null && doc.publishedAt <= now;
  if (!live) return false;
  switch (doc.access) {
    case 'public':
      return true;
    case 'partners':
      return has(actor, 'document.read_partners');
    case 'restricted':
      return !!actor && doc.accessRoles.includes(actor.role);
    case 'inherit':
      return !!doc.parent && doc.parent.visible;
    default:
      return false;
  }
}

/** True when anyone, signed in or not, may open the document: what public pages, search and feeds show. */
export function isPublicDocument(doc: DocumentAccessRecord, now: string): boolean {
  return mayReadDocument(null, doc, now);
}
