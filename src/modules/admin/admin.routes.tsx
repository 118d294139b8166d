import type { FastifyInstance } from 'fastify';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { lastPossibleDay, todayIso } from '../../platform/i18n/dates.js';
import { translator } from '../../platform/i18n/i18n.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { adminAbilities } from './admin.policy.js';

const PAGE = 50;

function dateTime(tr: Translator, iso: string): string {
  return new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

type ActivityLine = { id: number; title: string; workflow: string; start_date: string; updated_at: string };

function ActivityLines({ tr, rows, empty }: { tr: Translator; rows: ActivityLine[]; empty: string }): JSX.Element {
  if (!rows.length) return <p class="muted" safe>{empty}</p>;
  return (
    <ul>
      {rows.map((r) => (
        <li>
          <a href={`/admin/activities/${r.id}`} safe>
            {r.title}
          </a>{' '}
          <span class={`state state-${r.workflow}`} safe>
            {tr.t(`workflow.${r.workflow}` as MessageKey)}
          </span>{' '}
          <span class="muted" safe>
            {r.start_date}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Dashboard, audit log and outbox. */
export function registerAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;

  // Titled in the reader's language, else in the site's default language.
  const activityLines = (lang: string) =>
    db
      .selectFrom('activities')
      .leftJoin('activity_translations as t', (j) => j.onRef('t.activity_id', '=', 'activities.id').on('t.lang', '=', lang))
      .leftJoin('activity_translations as fallback', (j) => j.onRef('fallback.activity_id', '=', 'activities.id').on('fallback.lang', '=', config.defaultLanguage))
      .select((eb) => [
        'activities.id',
        eb.fn.coalesce('t.title', 'fallback.title', eb.val('')).as('title'),
        'activities.workflow',
        'activities.start_date',
        'activities.updated_at',
      ]);

  admin.get('/', async (request, reply) => {
    const can = adminAbilities(request.actor);
    const denied = guard(request, reply, can.access);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const review = can.activities ? ((await activityLines(lang).where('activities.workflow', '=', 'in_review').orderBy('activities.updated_at', 'desc').limit(20).execute()) as ActivityLine[]) : [];
    const recent = can.activities ? ((await activityLines(lang).orderBy('activities.updated_at', 'desc').orderBy('activities.id', 'desc').limit(10).execute()) as ActivityLine[]) : [];
    // Meetings whose dates have passed but whose status still says they are to come: the public
    // pages show them as held; the editors are asked to record what happened.
    const today = todayIso(new Date(), admin.diwan.config.timeZone);
    const stale = can.activities
      ? ((await activityLines(lang)
          .select(['activities.end_date', 'activities.date_precision'])
          .where('activities.status', 'in', ['planned', 'announced'])
          .where('activities.start_date', '<', today)
          .orderBy('activities.start_date', 'desc')
          .limit(100)
          .execute()) as (ActivityLine & { end_date: string | null; date_precision: string })[])
          .filter((r) => lastPossibleDay(r.end_date ?? r.start_date, r.date_precision) < today)
          .slice(0, 20)
      : [];
    const upcoming = (await activityLines(lang).where('activities.start_date', '>=', todayIso(new Date(), admin.diwan.config.timeZone)).where('activities.workflow', '=', 'published').orderBy('activities.start_date').limit(10).execute()) as ActivityLine[];
    return renderAdmin(request, reply, {
      title: translator(lang).t('dashboard.title'),
      current: 'dashboard',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('dashboard.title')}</h1>
          {can.activities ? (
            <section data-testid="review-queue">
              <h2 safe>{tr.t('dashboard.review')}</h2>
              <ActivityLines tr={tr} rows={review} empty={tr.t('dashboard.reviewNone')} />
            </section>
          ) : (
            ''
          )}
          {can.activities ? (
            <section>
              <h2 safe>{tr.t('dashboard.recent')}</h2>
              <ActivityLines tr={tr} rows={recent} empty={tr.t('dashboard.none')} />
            </section>
          ) : (
            ''
          )}
          {stale.length ? (
            <section data-testid="stale-status">
              <h2 safe>{tr.t('dashboard.stale')}</h2>
              <p safe>{tr.t('dashboard.staleHint')}</p>
              <ActivityLines tr={tr} rows={stale} empty="" />
            </section>
          ) : (
            ''
          )}
          <section>
            <h2 safe>{tr.t('dashboard.upcoming')}</h2>
            <ActivityLines tr={tr} rows={upcoming} empty={tr.t('dashboard.none')} />
          </section>
        </>
      ),
    });
  });

  admin.get<{ Querystring: { action?: string; entity?: string; before?: string } }>('/audit', async (request, reply) => {
    const denied = guard(request, reply, adminAbilities(request.actor).audit);
    if (denied) return denied;
    const { action, entity } = request.query;
    const before = Number(request.query.before) || undefined;
    let q = db
      .selectFrom('audit_log')
      .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.entity_type', 'audit_log.entity_id', 'audit_log.summary', 'audit_log.before_json', 'audit_log.after_json', 'users.display_name'])
      .orderBy('audit_log.id', 'desc')
      .limit(PAGE + 1);
    if (action && /^[a-z_.]{1,60}$/.test(action)) q = q.where('audit_log.action', '=', action);
    if (entity && /^[a-z_]{1,40}$/.test(entity)) q = q.where('audit_log.entity_type', '=', entity);
    if (before) q = q.where('audit_log.id', '<', before);
    const rows = await q.execute();
    const more = rows.length > PAGE;
    const shown = rows.slice(0, PAGE);
    const actions = (await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
    const entities = (await db.selectFrom('audit_log').select('entity_type').distinct().orderBy('entity_type').execute()).map((r) => r.entity_type);
    return renderAdmin(request, reply, {
      title: translator(adminLanguage(request)).t('audit.title'),
      current: 'audit',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('audit.title')}</h1>
          <p safe>{tr.t('audit.intro')}</p>
          <form method="get" action="/admin/audit" class="actions">
            <label for="action" safe>
              {tr.t('audit.filter.action')}
            </label>
            <select id="action" name="action">
              <option value="">—</option>
              {actions.map((a) => (
                <option value={a} selected={a === action} safe>
                  {a}
                </option>
              ))}
            </select>
            <label for="entity" safe>
              {tr.t('audit.filter.entity')}
            </label>
            <select id="entity" name="entity">
              <option value="">—</option>
              {entities.map((a) => (
                <option value={a} selected={a === entity} safe>
                  {a}
                </option>
              ))}
            </select>
            <button class="button" type="submit" safe>
              {tr.t('audit.filter.apply')}
            </button>
          </form>
          {shown.length ? (
            <div class="table-wrap">
              <table class="data" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col" safe>{tr.t('audit.at')}</th>
                    <th scope="col" safe>{tr.t('audit.actor')}</th>
                    <th scope="col" safe>{tr.t('audit.action')}</th>
                    <th scope="col" safe>{tr.t('audit.entity')}</th>
                    <th scope="col" safe>{tr.t('audit.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <tr>
                      <td safe>{dateTime(tr, r.at)}</td>
                      <td safe>{r.display_name ?? tr.t('audit.system')}</td>
                      <td safe>{r.action}</td>
                      <td safe>{`${r.entity_type}${r.entity_id ? ` #${r.entity_id}` : ''}`}</td>
                      <td>
                        {r.summary ? <span safe>{r.summary}</span> : ''}
                        {r.before_json || r.after_json ? (
                          <details>
                            <summary>JSON</summary>
                            <pre safe>{`${r.before_json ?? ''}\n→\n${r.after_json ?? ''}`}</pre>
                          </details>
                        ) : (
                          ''
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p safe>{tr.t('audit.none')}</p>
          )}
          {more ? (
            <p>
              <a href={`/admin/audit?${new URLSearchParams({ ...(action ? { action } : {}), ...(entity ? { entity } : {}), before: String(shown.at(-1)?.id ?? '') }).toString()}`} safe>
                {tr.t('pagination.next')}
              </a>
            </p>
          ) : (
            ''
          )}
        </>
      ),
    });
  });

  /**
   * A message's personal links (reset, invitation, registration, alert links: a long random path
   * segment) are shown only to the person they were sent to; any other admin sees them masked.
   */
  const maskSecrets = (text: string, hidden: string) => text.replace(/(https?:\/\/[^\s]*?\/)[\w-]{20,}[^\s]*/g, `$1${hidden}`);

  admin.get('/outbox', async (request, reply) => {
    const denied = guard(request, reply, adminAbilities(request.actor).outbox);
    if (denied) return denied;
    const rows = await db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(100).execute();
    return renderAdmin(request, reply, {
      title: translator(adminLanguage(request)).t('outbox.title'),
      current: 'outbox',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('outbox.title')}</h1>
          <p safe>{tr.t('outbox.intro')}</p>
          {rows.length ? (
            rows.map((m) => (
              <article class="card" data-testid="outbox-message">
                <h2 safe>{m.subject}</h2>
                <p class="meta-line" safe>
                  {`${tr.t('outbox.to')}: ${m.to_address} · ${dateTime(tr, m.created_at)} · ${m.sent_at ? tr.t('outbox.sent') : m.error ? tr.t('outbox.failed', { error: m.error }) : tr.t('outbox.kept')}`}
                </p>
                <pre class="mail" safe>
                  {m.to_address === request.actor!.email ? m.text_body : maskSecrets(m.text_body, tr.t('outbox.hidden'))}
                </pre>
              </article>
            ))
          ) : (
            <p safe>{tr.t('outbox.none')}</p>
          )}
        </>
      ),
    });
  });
}
