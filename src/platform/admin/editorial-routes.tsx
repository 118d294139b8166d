/**
 * What every editable record's back-office shares, written once: the abilities its policy gives,
 * the notice after a save or a workflow step, the "save and send for review / save and publish"
 * intents, the save and conflict-resolution routes of the edit form, the workflow buttons' route
 * (with scheduled publication) and the revisions page (word diff between any two versions,
 * restore). Activities, pages and documents use it; meetings and recommendations will.
 */
import { diffWords } from 'diff';
import { parseId } from '../http/urls.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { WorkflowStateError, type EditableContent, type EditableRecord, type EditorialActor, type SaveResult, type WorkflowAction, type WorkflowState } from '../editorial/editorial.js';
import type { Choice, FieldConflict } from '../editorial/merge.js';
import { isStorageFailure, logStorageFailure, notFound } from '../http/errors.js';
import { translator, type MessageKey, type Translator } from '../i18n/i18n.js';
import type { Actor } from '../policy.js';
import type { EditorialAbilities } from '../editorial/abilities.js';

export { editorialAbilities, type EditorialAbilities } from '../editorial/abilities.js';
import { readChoices } from '../views/editorial.js';
import { CsrfField, type FieldError } from '../views/forms.js';
import { adminLanguage, guard, renderAdmin } from './shell.js';

/** One kind of editable record as its back-office pages see it. */
export interface EditorialAdminKind<I extends EditableContent, R extends EditableRecord<I> = EditableRecord<I>> {
  /** Its address under /admin ('/activities'), and its back-office navigation entry. */
  path: string;
  current: string;
  load(db: Db, id: number): Promise<R | null>;
  abilities(actor: Actor | null, record?: R): EditorialAbilities;
  /** The record's title in a language (or in any language it has). */
  title(input: I, lang: string): string;
  /** The record's fields as labelled text, in form order, for comparing two versions. */
  describe(input: I, tr: Translator): [string, string][];
  /** The label of a merge field (`type`, `t.fr.title`), for "merged from the other person" notices. */
  fieldLabel(key: string, tr: Translator): string;
  messages: { created: MessageKey; back: MessageKey; revisionsTitle: MessageKey };
  changeWorkflow(db: Db, id: number, action: WorkflowAction, actorId: number, publishAt?: Date): Promise<WorkflowState>;
  listRevisions(db: Db, id: number): Promise<{ version: number; state: string; saved_at: string; display_name: string | null }[]>;
  loadRevision(db: Db, id: number, version: number): Promise<I | null>;
  restoreRevision(db: Db, id: number, version: number, actor: EditorialActor): Promise<SaveResult<I> | null>;
}

/** The record id in the address, or a 404. */
export function recordId(request: FastifyRequest): number {
  const id = parseId((request.params as { id?: string }).id);
  if (!id) throw notFound();
  return id;
}

const NOTICES: Record<string, MessageKey> = {
  saved: 'editorial.saved',
  pending: 'editorial.saved.pending',
  submit: 'editorial.workflow.done.submit',
  publish: 'editorial.workflow.done.publish',
  unpublish: 'editorial.workflow.done.unpublish',
  return: 'editorial.workflow.done.return',
  publish_changes: 'editorial.done.publish_changes',
  discard: 'editorial.done.discard',
};

/**
 * The notice of a record's page after a redirect (`?done=`, `?merged=`, `?restored=`). Only known
 * codes become text: nothing typed into the address is shown back.
 */
export function editorialNotice(tr: Translator, kind: Pick<EditorialAdminKind<EditableContent>, 'messages' | 'fieldLabel'>, query: { done?: string | undefined; merged?: string | undefined; restored?: string | undefined }): string | undefined {
  const parts: string[] = [];
  const restored = Number(query.restored);
  if (Number.isInteger(restored) && restored > 0) parts.push(tr.t('editorial.revisions.restored', { version: restored }));
  const key = query.done === 'created' ? kind.messages.created : query.done ? NOTICES[query.done] : undefined;
  // After a restore, "saved" goes without saying; "waiting for review" does not.
  if (key && !(parts.length && query.done === 'saved')) parts.push(tr.t(key));
  const merged = String(query.merged ?? '')
    .split(',')
    .filter((k) => /^[a-z_]+(\.[a-z]{2,3}\.[a-z_]+)?$/.test(k))
    .slice(0, 40);
  if (merged.length) parts.push(tr.t('editorial.saved.merged', { fields: merged.map((k) => kind.fieldLabel(k, tr)).join(', ') }));
  return parts.join(' ') || undefined;
}

export const SAVE_INTENTS = ['save', 'submit', 'publish'] as const;
export type SaveIntent = (typeof SAVE_INTENTS)[number];

/** What the form's button asks after saving; null when the person may not do it (refused before anything is written). */
export function saveIntent(request: FastifyRequest, can: EditorialAbilities, workflow: WorkflowState): SaveIntent | null {
  const raw = String(((request.body ?? {}) as Record<string, unknown>).intent ?? 'save');
  const intent = (SAVE_INTENTS as readonly string[]).includes(raw) ? (raw as SaveIntent) : 'save';
  if (intent === 'submit' && !(can.submit || workflow === 'in_review')) return null;
  if (intent === 'publish' && !can.publishDirectly) return null;
  return intent;
}

/** After a successful save: the workflow step the person asked for, then back to the record with its notice. */
export async function afterSave<I extends EditableContent, R extends EditableRecord<I>>(
  request: FastifyRequest,
  reply: FastifyReply,
  kind: EditorialAdminKind<I, R>,
  id: number,
  result: { pending: boolean; fromTheirs: string[] },
  intent: SaveIntent,
): Promise<FastifyReply> {
  const { db } = request.server.diwan;
  let done = result.pending ? 'pending' : 'saved';
  if (intent !== 'save') {
    const fresh = await kind.load(db, id);
    const can = kind.abilities(request.actor, fresh ?? undefined);
    if (fresh && intent === 'submit' && can.submit) {
      await kind.changeWorkflow(db, id, 'submit', request.actor!.id);
      done = 'submit';
    } else if (fresh && intent === 'publish' && (can.publish || can.publishChanges)) {
      await kind.changeWorkflow(db, id, 'publish', request.actor!.id);
      done = can.publishChanges ? 'publish_changes' : 'publish';
    }
  }
  request.log.info({ actor: request.actor!.id, record: `${kind.current}/${id}`, done }, 'record saved');
  const merged = result.fromTheirs.length ? `&merged=${encodeURIComponent(result.fromTheirs.join(','))}` : '';
  return reply.redirect(`/admin${kind.path}/${id}?done=${done}${merged}`, 303);
}

/** The conflict step of the edit form: the fields both people changed, and this person's whole version. */
export interface ResolveStep<I> {
  conflicts: FieldConflict[];
  mine: I;
  baseVersion: number;
  intent: SaveIntent;
  /** Conflicting fields the person posted no choice for. */
  missing?: string[];
}

/** What the edit form's page shows again after a refused save: the values, the errors, or the conflict step. */
export interface EditView<I, R, V> {
  record: R;
  values: V;
  errors: FieldError[];
  status: number;
  resolve?: ResolveStep<I>;
}

/** What the save and resolve routes need from a module: its form, its write command and its page. */
export interface EditRoutes<I extends EditableContent, R extends EditableRecord<I>, V> {
  /** The record's content as the write command takes it, to read back the conflict step's copy of "mine". */
  schema: { parse(data: unknown): I };
  /** Reads and checks the posted form: the values to show again, the errors, and the input when there are none. */
  check(request: FastifyRequest, record: R): Promise<{ values: V; errors: FieldError[]; input: unknown }>;
  /** The form's values of a record holding `input` (its own content, or this person's version after a conflict). */
  values(request: FastifyRequest, record: R, input: I): V | Promise<V>;
  update(db: Db, id: number, baseVersion: number, input: unknown, actor: EditorialActor, choices?: Record<string, Choice>): Promise<SaveResult<I>>;
  /** The record's edit page. After a conflict `record` is the record as it is now, loaded by the write command. */
  render(request: FastifyRequest, reply: FastifyReply, view: EditView<I, R, V>): Promise<FastifyReply>;
}

/**
 * The edit form's two routes: the save (`POST /admin/<kind>/:id`) and the conflict step
 * (`POST /admin/<kind>/:id/resolve`). Both check the edit right and the asked intent before
 * anything is read or written; a save over someone else's newer version merges what only one side
 * changed and asks, field by field, about what both changed; an address taken in the meantime
 * comes back as an error on that language's slug.
 */
export function registerEditRoutes<I extends EditableContent, R extends EditableRecord<I>, V>(admin: FastifyInstance, kind: EditorialAdminKind<I, R>, routes: EditRoutes<I, R, V>): void {
  const { db } = admin.diwan;

  /** Loads the record a form posts to and checks the edit right and the asked intent. */
  const openForEdit = async (request: FastifyRequest, reply: FastifyReply): Promise<{ record: R; intent: SaveIntent } | FastifyReply> => {
    const denied = guard(request, reply, kind.abilities(request.actor).edit);
    if (denied) return denied;
    const record = await kind.load(db, recordId(request));
    if (!record) throw notFound();
    const intent = saveIntent(request, kind.abilities(request.actor, record), record.workflow);
    return guard(request, reply, intent !== null) ?? { record, intent: intent! };
  };

  const outcome = async (request: FastifyRequest, reply: FastifyReply, record: R, values: V, result: SaveResult<I>, intent: SaveIntent, baseVersion: number) => {
    if (result.ok) return afterSave(request, reply, kind, record.id, result, intent);
    if (result.reason === 'missing') throw notFound();
    if (result.reason === 'slug_taken') {
      const tr = translator(adminLanguage(request));
      const errors = result.langs.map((l) => ({ field: `t_${l}_slug`, message: tr.t('editorial.slugTaken', { language: tr.t(`lang.${l}` as MessageKey) }) }));
      return routes.render(request, reply, { record, values, errors, status: 409 });
    }
    // Both changed the same fields: only those are asked about, everything else is merged already.
    // The command loads the record with the editorial fields every kind has.
    return routes.render(request, reply, { record: result.current as R, values, errors: [], status: 409, resolve: { conflicts: result.conflicts, mine: result.mine, baseVersion, intent } });
  };

  /**
   * Runs the write command; when the disk refuses the write (full, read-only) the form comes back
   * with everything typed and a message, and the operator's log names the place.
   */
  const write = async (request: FastifyRequest, reply: FastifyReply, record: R, values: V, run: () => Promise<SaveResult<I>>): Promise<SaveResult<I> | FastifyReply> => {
    try {
      return await run();
    } catch (err) {
      if (!isStorageFailure(err)) throw err;
      logStorageFailure(request, err);
      const tr = translator(adminLanguage(request));
      return routes.render(request, reply, { record, values, errors: [{ field: `t_${admin.diwan.config.languages[0]}_title`, message: tr.t('form.error.storage') }], status: 507 });
    }
  };
  const isReply = (r: SaveResult<I> | FastifyReply): r is FastifyReply => !('ok' in r);

  const editor = (request: FastifyRequest, record: R): EditorialActor => ({ id: request.actor!.id, canPublish: kind.abilities(request.actor, record).publishDirectly });
  const versionOf = (raw: unknown) => {
    const n = Number(typeof raw === 'string' ? raw : '');
    return Number.isInteger(n) ? n : 0;
  };

  admin.post<{ Params: { id: string } }>(`${kind.path}/:id`, async (request, reply) => {
    const opened = await openForEdit(request, reply);
    if (!('record' in opened)) return opened;
    const { record, intent } = opened;
    const { values, errors, input } = await routes.check(request, record);
    if (!input) return routes.render(request, reply, { record, values, errors, status: 400 });
    const baseVersion = versionOf(((request.body ?? {}) as Record<string, unknown>).version);
    const result = await write(request, reply, record, values, () => routes.update(db, record.id, baseVersion, input, editor(request, record)));
    return isReply(result) ? result : outcome(request, reply, record, values, result, intent, baseVersion);
  });

  admin.post<{ Params: { id: string } }>(`${kind.path}/:id/resolve`, async (request, reply) => {
    const opened = await openForEdit(request, reply);
    if (!('record' in opened)) return opened;
    const { record, intent } = opened;
    const body = (request.body ?? {}) as Record<string, unknown>;
    let mine: I;
    try {
      mine = routes.schema.parse(JSON.parse(String(body.mine ?? '')));
    } catch (e) {
      request.log.info({ actor: request.actor!.id, record: `${kind.current}/${record.id}`, issues: (e as { issues?: unknown[] }).issues?.length ?? 0 }, 'unreadable merge form');
      const tr = translator(adminLanguage(request));
      const field = `t_${admin.diwan.config.languages[0]}_title`;
      return routes.render(request, reply, { record, values: await routes.values(request, record, record.input), errors: [{ field, message: tr.t('editorial.resolve.invalid') }], status: 400 });
    }
    const values = await routes.values(request, record, mine);
    const actor = editor(request, record);
    const baseVersion = versionOf(body.base_version);
    // First see which fields still conflict, to ask again for any choice left out.
    const probe = await routes.update(db, record.id, baseVersion, mine, actor);
    if (probe.ok || probe.reason !== 'conflict') return outcome(request, reply, record, values, probe, intent, baseVersion);
    const keys = probe.conflicts.map((c) => c.key);
    const choices = readChoices(body, keys);
    const missing = keys.filter((k) => !choices[k]);
    if (missing.length) return routes.render(request, reply, { record: probe.current as R, values, errors: [], status: 400, resolve: { conflicts: probe.conflicts, mine, baseVersion, intent, missing } });
    const result = await write(request, reply, record, values, () => routes.update(db, record.id, baseVersion, mine, actor, choices));
    return isReply(result) ? result : outcome(request, reply, record, values, result, intent, baseVersion);
  });
}

/**
 * The workflow buttons of a record's page: send for review, publish (now or at a time to come),
 * unpublish, return to draft, publish or set aside the changes waiting for review. Each is checked
 * against the record's policy; a refused step re-renders the record's page with a message.
 */
export function registerWorkflowRoute<I extends EditableContent, R extends EditableRecord<I>>(
  admin: FastifyInstance,
  kind: EditorialAdminKind<I, R>,
  showError: (request: FastifyRequest, reply: FastifyReply, record: R, message: string, status: number) => Promise<FastifyReply>,
): void {
  const { db } = admin.diwan;
  admin.post<{ Params: { id: string } }>(`${kind.path}/:id/workflow`, async (request, reply) => {
    const record = await kind.load(db, recordId(request));
    if (!record) throw notFound();
    const can = kind.abilities(request.actor, record);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const action = String(body.action ?? '');
    const allowed: Record<string, boolean> = {
      submit: can.submit,
      publish: can.publish,
      schedule: can.publish,
      unpublish: can.unpublish,
      return: can.returnToDraft,
      publish_changes: can.publishChanges,
      discard_changes: can.discardChanges,
    };
    const denied = guard(request, reply, allowed[action] === true);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    let publishAt: Date | undefined;
    if (action === 'schedule') {
      const raw = String(body.publish_at ?? '');
      publishAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw) ? new Date(`${raw}:00Z`) : undefined;
      if (!publishAt || Number.isNaN(publishAt.getTime()) || publishAt <= new Date()) return showError(request, reply, record, tr.t('editorial.workflow.badDate'), 400);
    }
    const step: WorkflowAction = action === 'schedule' || action === 'publish_changes' ? 'publish' : action === 'discard_changes' ? 'return' : (action as WorkflowAction);
    try {
      await kind.changeWorkflow(db, record.id, step, request.actor!.id, publishAt);
    } catch (e) {
      if (!(e instanceof WorkflowStateError)) throw e;
      return showError(request, reply, record, tr.t('editorial.workflow.notAllowed'), 409);
    }
    request.log.info({ actor: request.actor!.id, record: `${kind.current}/${record.id}`, action }, 'workflow changed');
    const done = action === 'schedule' ? 'publish' : action === 'discard_changes' ? 'discard' : action;
    return reply.redirect(`/admin${kind.path}/${record.id}?done=${done}`, 303);
  });
}

/** The fields that differ between two versions, with their text before and after. */
export function changedRows(before: [string, string][], after: [string, string][]): { label: string; before: string; after: string }[] {
  const x = new Map(before);
  const y = new Map(after);
  const labels = [...new Set([...x.keys(), ...y.keys()])];
  return labels.filter((l) => (x.get(l) ?? '') !== (y.get(l) ?? '')).map((label) => ({ label, before: x.get(label) ?? '', after: y.get(label) ?? '' }));
}

/** A word diff: removed words struck through, added words underlined (and announced as such). */
export function Diff({ before, after }: { before: string; after: string }): JSX.Element {
  return (
    <span class="diff">
      {diffWords(before, after).map((p) => (p.added ? <ins safe>{p.value}</ins> : p.removed ? <del safe>{p.value}</del> : <span safe>{p.value}</span>))}
    </span>
  );
}

/**
 * A record's revisions page (every version with its state and author, any two compared word by
 * word) and its restore action, which saves the old version as a new one: it waits for review
 * when the person may not publish, and is refused with a message when its address is now taken.
 */
export function registerRevisionRoutes<I extends EditableContent, R extends EditableRecord<I>>(admin: FastifyInstance, kind: EditorialAdminKind<I, R>): void {
  const { db } = admin.diwan;
  const base = `/admin${kind.path}`;

  admin.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; error?: string } }>(`${kind.path}/:id/revisions`, async (request, reply) => {
    const denied = guard(request, reply, kind.abilities(request.actor).revisions);
    if (denied) return denied;
    const id = recordId(request);
    const record = await kind.load(db, id);
    if (!record) throw notFound();
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const revisions = await kind.listRevisions(db, id);
    const versions = new Set(revisions.map((r) => r.version));
    const newest = revisions[0]?.version ?? record.version;
    const asked = (v: unknown, fallback: number) => (versions.has(Number(v)) ? Number(v) : fallback);
    const to = asked(request.query.to, newest);
    const from = asked(request.query.from, revisions[1]?.version ?? to);
    const [before, after] = [await kind.loadRevision(db, id, from), await kind.loadRevision(db, id, to)];
    const changes = before && after ? changedRows(kind.describe(before, tr), kind.describe(after, tr)) : [];
    const can = kind.abilities(request.actor, record);
    const fmt = new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    const title = tr.t(kind.messages.revisionsTitle, { title: kind.title(record.input, lang) });
    // The only error this page shows comes from a restore whose address is now taken; the language code is checked.
    const slugError = /^slug-[a-z]{2,3}$/.test(String(request.query.error ?? '')) ? String(request.query.error).slice(5) : null;
    return renderAdmin(request, reply, {
      title,
      current: kind.current,
      status: slugError ? 409 : 200,
      body: ({ tr: t, csrf }) => (
        <>
          <p>
            <a href={`${base}/${id}`} safe>
              {t.t(kind.messages.back)}
            </a>
          </p>
          <h1 safe>{title}</h1>
          {slugError ? (
            <p class="error-summary" role="alert" data-testid="restore-error" safe>
              {t.t('editorial.restore.slugTaken', { language: t.t(`lang.${slugError}` as MessageKey) })}
            </p>
          ) : (
            ''
          )}
          <form method="get" action={`${base}/${id}/revisions`} class="actions">
            {(['from', 'to'] as const).map((k) => (
              <div class="form-group">
                <label for={k} safe>
                  {t.t(k === 'from' ? 'editorial.revisions.from' : 'editorial.revisions.to')}
                </label>
                <select id={k} name={k}>
                  {revisions.map((r) => (
                    <option value={String(r.version)} selected={r.version === (k === 'from' ? from : to)} safe>
                      {t.t('editorial.revisions.version', { version: r.version })}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <button class="button" type="submit" safe>
              {t.t('editorial.revisions.compare')}
            </button>
          </form>
          {changes.length ? (
            <div class="table-wrap">
              <table class="data" data-testid="diff">
                <thead>
                  <tr>
                    <th scope="col" safe>{t.t('editorial.revisions.field')}</th>
                    <th scope="col" safe>{`${t.t('editorial.revisions.version', { version: from })} → ${t.t('editorial.revisions.version', { version: to })}`}</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((c) => (
                    <tr>
                      <th scope="row" safe>{c.label}</th>
                      <td>
                        <Diff before={c.before} after={c.after} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p safe>{t.t('editorial.revisions.noChange')}</p>
          )}
          <ol reversed="reversed" data-testid="revisions">
            {revisions.map((r) => (
              <li>
                <strong safe>{t.t('editorial.revisions.version', { version: r.version })}</strong>{' '}
                <span safe>{t.t('editorial.revisions.by', { date: fmt.format(new Date(r.saved_at)), name: r.display_name ?? t.t('audit.system') })}</span>
                {r.state !== 'saved' ? (
                  <span class={`state state-${r.state}`} data-testid={`revision-state-${r.version}`} safe>
                    {t.t(`editorial.revision.state.${r.state}` as MessageKey)}
                  </span>
                ) : (
                  ''
                )}
                {can.restore && can.edit && r.version !== record.version ? (
                  <form method="post" action={`${base}/${id}/revisions/${r.version}/restore`} class="inline">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="version" value={String(record.version)} />
                    <button class="link-button" type="submit" data-testid={`restore-${r.version}`} safe>
                      {t.t('editorial.revisions.restore')}
                    </button>
                  </form>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ol>
        </>
      ),
    });
  });

  admin.post<{ Params: { id: string; version: string } }>(`${kind.path}/:id/revisions/:version/restore`, async (request, reply) => {
    const record = await kind.load(db, recordId(request));
    if (!record) throw notFound();
    const can = kind.abilities(request.actor, record);
    const denied = guard(request, reply, can.restore && can.edit);
    if (denied) return denied;
    const version = parseId(request.params.version);
    if (!version) throw notFound();
    const result = await kind.restoreRevision(db, record.id, version, { id: request.actor!.id, canPublish: can.publishDirectly });
    if (!result) throw notFound();
    if (!result.ok) {
      if (result.reason === 'slug_taken') return reply.redirect(`${base}/${record.id}/revisions?error=slug-${result.langs[0]}`, 303);
      throw notFound();
    }
    request.log.info({ actor: request.actor!.id, record: `${kind.current}/${record.id}`, version }, 'revision restored');
    return reply.redirect(`${base}/${record.id}?restored=${version}&done=${result.pending ? 'pending' : 'saved'}`, 303);
  });
}
