import { createHash } from 'node:crypto';
import qrcode from 'qrcode-generator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderAdmin } from '../../platform/admin/shell.js';
import type { AppContext } from '../../platform/context.js';
import { contentDisposition } from '../../platform/http/download.js';
import { formatDateRange, type DatePrecision } from '../../platform/i18n/dates.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import type { JobHandler } from '../../platform/jobs/jobs.js';
import { canPrint, printPdf, PrintUnavailable } from '../../platform/pdf/print.js';
import { ensureBadgeCodes } from './attendance.commands.js';
import { participantsOf, type Participant } from './attendance.repository.js';
import { loadMeeting, type AgendaMeeting, meetingTitle } from './meetings.repository.js';
import { meetingPhase } from './registration.repository.js';

/**
 * PDFs for organisers (decision 0025's way: HTML printed by Chromium in a job): badges now, and
 * each kind added here. The page that asks computes the key of exactly what the PDF would show;
 * a stored PDF with that key is sent, else one job prints it and the page says it is being
 * prepared (or that it failed, or that no Chromium is installed) instead of waiting for ever.
 */

export const PRINT_JOB = 'meetings.print';
/** Changes when a printed layout changes, so every PDF is printed again. */
const PRINT_VERSION = 'p1';
export const PRINT_KINDS = ['badges', 'participants', 'certificates', 'visa_letters'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

type Ctx = Pick<AppContext, 'db' | 'config' | 'baseUrl'>;

interface PrintContent {
  key: string;
  /** The HTML to print: built only by the job. */
  html(): Promise<string>;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const keyOf = (parts: unknown[]) => createHash('sha256').update(JSON.stringify([PRINT_VERSION, ...parts])).digest('hex').slice(0, 32);

/** The address a badge's QR code holds: the check-in page of that badge (it opens only for organisers signed in). */
export const checkInUrl = (baseUrl: string, code: string) => `${baseUrl}/admin/check-in/${code}`;

/** A QR code as inline SVG, scaled by its container. */
export function qrSvg(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 0, scalable: true });
}

const BADGE_CSS = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 11pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #000; }
.sheet { display: grid; grid-template-columns: 90mm 90mm; grid-auto-rows: 66mm; gap: 4mm; justify-content: center; }
.badge { border: 0.3mm dashed #888; padding: 5mm; display: grid; grid-template-columns: 1fr 25mm; grid-template-rows: auto 1fr auto; gap: 1mm 3mm; break-inside: avoid; overflow: hidden; }
.meeting { grid-column: 1 / 3; font-size: 8pt; border-bottom: 0.6mm solid #1d4f91; padding-bottom: 1.5mm; }
.who { align-self: center; }
.name { font-size: 16pt; font-weight: bold; line-height: 1.1; margin: 0 0 1.5mm; overflow-wrap: anywhere; }
.function { font-size: 8.5pt; margin: 0; overflow-wrap: anywhere; }
.delegation { font-size: 11pt; font-weight: bold; margin: 1.5mm 0 0; overflow-wrap: anywhere; }
.qr { align-self: center; width: 25mm; }
.qr svg { width: 25mm; height: 25mm; display: block; }
.code { font: 7pt monospace; text-align: center; margin: 1mm 0 0; letter-spacing: 0.3mm; }
.role { grid-column: 1 / 3; text-align: center; font-size: 9pt; font-weight: bold; text-transform: uppercase; letter-spacing: 0.4mm; padding: 1.2mm; color: #fff; background: #1d4f91; }
.role-head { background: #7a1d1d; }
.role-participant { background: #3b5d3b; }
`;

function badgeHtml(ctx: Ctx, tr: Translator, meetingLine: string, p: Participant): string {
  const name = [p.title ? tr.t(`registration.title.${p.title}` as MessageKey) : '', p.givenName, p.familyName].filter(Boolean).join(' ');
  return `<section class="badge"><p class="meeting">${escapeText(meetingLine)}</p><div class="who"><p class="name">${escapeText(name)}</p>${p.function ? `<p class="function">${escapeText(p.function)}</p>` : ''}<p class="delegation">${escapeText(p.delegation)}</p></div><div class="qr">${qrSvg(checkInUrl(ctx.baseUrl, p.badgeCode!))}<p class="code">${escapeText(p.badgeCode!)}</p></div><p class="role role-${p.role}">${escapeText(tr.t(`attendance.role.${p.role}` as MessageKey))}</p></section>`;
}

/** Badges of a meeting's approved registrants, or one registrant's badge (`subject`). */
async function badges(ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string): Promise<PrintContent | null> {
  await ensureBadgeCodes(ctx.db, meeting.id);
  const everyone = await participantsOf(ctx.db, meeting.id, lang, subject ? ['approved', 'pending'] : ['approved']);
  const people = (subject ? everyone.filter((p) => p.id === subject) : everyone).filter((p) => p.badgeCode && !p.erased);
  if (!people.length) return null;
  const tr = translator(lang);
  const meetingLine = `${meetingTitle(meeting, lang)} · ${formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, lang)}`;
  const shown = people.map((p) => [p.id, p.title, p.givenName, p.familyName, p.function, p.delegation, p.role, p.badgeCode]);
  return {
    key: keyOf(['badges', subject, lang, meetingLine, ctx.baseUrl, shown]),
    html: async () => doc(lang, tr.t('attendance.badges.title', { title: meetingTitle(meeting, lang) }), BADGE_CSS, `<main class="sheet">${people.map((p) => badgeHtml(ctx, tr, meetingLine, p)).join('')}</main>`),
  };
}

const DOC_CSS = `
@page { size: A4; margin: 18mm 16mm; }
body { margin: 0; font: 10pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #000; }
h1 { font-size: 15pt; margin: 0 0 2mm; } .sub { margin: 0 0 6mm; color: #333; }
h2 { font-size: 11.5pt; margin: 6mm 0 1.5mm; border-bottom: 0.4mm solid #1d4f91; break-after: avoid; }
table { width: 100%; border-collapse: collapse; } th, td { text-align: start; padding: 1.2mm 1.5mm; border-bottom: 0.2mm solid #bbb; vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 8.5pt; color: #333; } tr { break-inside: avoid; }
.certificate { page-break-after: always; min-height: 240mm; display: flex; flex-direction: column; justify-content: center; text-align: center; border: 1.2mm double #1d4f91; padding: 20mm 16mm; box-sizing: border-box; }
.certificate:last-child { page-break-after: auto; }
.certificate h1 { font-size: 24pt; letter-spacing: 0.5mm; margin-bottom: 12mm; }
.certificate .name { font-size: 20pt; font-weight: bold; margin: 6mm 0; overflow-wrap: anywhere; }
.certificate p { font-size: 12pt; margin: 2mm 0; }
.certificate .sign { margin-top: 24mm; font-size: 10pt; }
`;

const doc = (lang: string, title: string, css: string, body: string) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeText(title)}</title><style>${css}</style></head><body>${body}</body></html>`;

/** Where the meeting was held, in a language (another's when it has none in this one). */
async function placeOf(ctx: Ctx, activityId: number, lang: string): Promise<string> {
  const rows = await ctx.db.selectFrom('activity_translations').select(['lang', 'city', 'venue']).where('activity_id', '=', activityId).execute();
  const row = rows.find((r) => r.lang === lang) ?? rows[0];
  return row ? [row.venue, row.city].filter(Boolean).join(', ') : '';
}

/** The internal list of participants (approved registrants), grouped by delegation, with who came. */
async function participantList(ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string): Promise<PrintContent | null> {
  if (subject) return null;
  const people = await participantsOf(ctx.db, meeting.id, lang, ['approved']);
  if (!people.length) return null;
  const tr = translator(lang);
  const dates = formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, lang);
  const collator = new Intl.Collator(lang, { sensitivity: 'base' });
  const groups = new Map<string, Participant[]>();
  for (const p of people) groups.set(p.delegation, [...(groups.get(p.delegation) ?? []), p]);
  const ordered = [...groups].sort(([a], [b]) => collator.compare(a, b));
  // Who came is shown once the meeting is over: during it, arrivals would change the list faster than it prints.
  const over = ['held', 'reported'].includes(meetingPhase(meeting, null, { reported: false, registrations: 0, siteZone: ctx.config.timeZone }, new Date()));
  const came = (p: Participant) => over && !!p.attendedAt;
  const shown = ordered.map(([d, ps]) => [d, ps.map((p) => [p.id, p.title, p.givenName, p.familyName, p.function, p.institution, p.role, came(p), p.erased])]);
  const title = tr.t('lists.pdf.title', { title: meetingTitle(meeting, lang) });
  return {
    key: keyOf(['participants', lang, title, dates, shown]),
    html: async () => {
      const nameOf = (p: Participant) => (p.erased ? tr.t('lists.erased') : [p.title ? tr.t(`registration.title.${p.title}` as MessageKey) : '', p.givenName, p.familyName].filter(Boolean).join(' '));
      const head = `<tr><th>${escapeText(tr.t('outcome.name'))}</th><th>${escapeText(tr.t('outcome.function'))}</th><th>${escapeText(tr.t('registration.field.institution'))}</th><th>${escapeText(tr.t('lists.role'))}</th><th>${escapeText(tr.t('lists.attended'))}</th></tr>`;
      const sections = ordered
        .map(([delegation, ps]) => {
          const rows = ps
            .sort((a, b) => (a.role === 'head' ? -1 : b.role === 'head' ? 1 : 0))
            .map((p) => `<tr><td>${escapeText(nameOf(p))}</td><td>${escapeText(p.erased ? '' : p.function)}</td><td>${escapeText(p.erased ? '' : p.institution)}</td><td>${escapeText(tr.t(`attendance.role.${p.role}` as MessageKey))}</td><td>${came(p) ? '✓' : ''}</td></tr>`)
            .join('');
          return `<h2>${escapeText(delegation || tr.t('lists.noDelegation'))} (${new Intl.NumberFormat(lang).format(ps.length)})</h2><table><thead>${head}</thead><tbody>${rows}</tbody></table>`;
        })
        .join('');
      return doc(lang, title, DOC_CSS, `<main><h1>${escapeText(title)}</h1><p class="sub">${escapeText(`${dates} · ${tr.t('lists.pdf.count', { count: people.length, delegations: ordered.length })}`)}</p>${sections}</main>`);
    },
  };
}

/** Certificates of attendance: one page per participant who came (or for one of them). */
async function certificates(ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string): Promise<PrintContent | null> {
  const came = (await participantsOf(ctx.db, meeting.id, lang, ['approved'])).filter((p) => p.attendedAt && !p.erased && (!subject || p.id === subject));
  if (!came.length) return null;
  const tr = translator(lang);
  const meetingName = meetingTitle(meeting, lang);
  const dates = formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, lang);
  const place = await placeOf(ctx, meeting.id, lang);
  const shown = came.map((p) => [p.id, p.title, p.givenName, p.familyName, p.delegation]);
  return {
    key: keyOf(['certificates', subject, lang, meetingName, dates, place, shown]),
    html: async () => {
      const pages = came
        .map((p) => {
          const name = [p.title ? tr.t(`registration.title.${p.title}` as MessageKey) : '', p.givenName, p.familyName].filter(Boolean).join(' ');
          return `<section class="certificate"><h1>${escapeText(tr.t('lists.certificate.title'))}</h1><p>${escapeText(tr.t('lists.certificate.certifies'))}</p><p class="name">${escapeText(name)}</p><p>${escapeText(p.delegation)}</p><p>${escapeText(tr.t('lists.certificate.attended', { meeting: meetingName }))}</p><p>${escapeText(place ? tr.t('lists.certificate.where', { place, dates }) : dates)}</p><p class="sign">${escapeText(tr.t('lists.certificate.secretariat'))}</p></section>`;
        })
        .join('');
      return doc(lang, tr.t('lists.certificate.title'), DOC_CSS, `<main>${pages}</main>`);
    },
  };
}

const LETTER_CSS = `
@page { size: A4; margin: 20mm 22mm; }
body { margin: 0; font: 11pt/1.5 "DejaVu Serif", Georgia, serif; color: #000; }
.letter { page-break-after: always; } .letter:last-child { page-break-after: auto; }
.letterhead { border-bottom: 0.8mm solid #1d4f91; padding-bottom: 3mm; margin-bottom: 10mm; }
.letterhead .org { font: bold 15pt "DejaVu Sans", Arial, sans-serif; color: #1d4f91; margin: 0; }
.letterhead .tagline { font: 9pt "DejaVu Sans", Arial, sans-serif; margin: 0; }
.letterhead .contact { font: 8.5pt "DejaVu Sans", Arial, sans-serif; margin: 1mm 0 0; color: #333; }
.meta { display: flex; justify-content: space-between; font-size: 9.5pt; margin-bottom: 10mm; }
h1 { font-size: 13pt; margin: 0 0 6mm; }
dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 4mm 0 6mm; } dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
.sign { margin-top: 18mm; }
`;

/**
 * Visa support letters, on the secretariat's letterhead, for approved registrants who asked for
 * one and whose passport details are still kept (or for one of them). They carry passport details:
 * the route takes `registration.read_passport` and records each request in the audit log, and the
 * stored PDFs are deleted with the passport details.
 */
async function visaLetters(ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string): Promise<PrintContent | null> {
  let q = ctx.db
    .selectFrom('registrations as r')
    .innerJoin('registration_passports as p', 'p.registration_id', 'r.id')
    .select(['r.id', 'r.title', 'r.given_name', 'r.family_name', 'r.function', 'r.institution', 'p.nationality', 'p.passport_number', 'p.passport_expiry'])
    .where('r.activity_id', '=', meeting.id)
    .where('r.state', '=', 'approved')
    .where('r.visa_letter', '=', 1)
    .where('r.erased_at', 'is', null);
  if (subject) q = q.where('r.id', '=', subject);
  const people = await q.orderBy('r.family_name').orderBy('r.id').limit(2000).execute();
  if (!people.length) return null;
  const delegations = new Map((await participantsOf(ctx.db, meeting.id, lang, ['approved'])).map((p) => [p.id, p.delegation]));
  const tr = translator(lang);
  const meetingName = meetingTitle(meeting, lang);
  const dates = formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, lang);
  const place = await placeOf(ctx, meeting.id, lang);
  const contact = (await ctx.db.selectFrom('meeting_practical').select(['lang', 'contact']).where('activity_id', '=', meeting.id).execute()).sort((a, b) => (a.lang === lang ? -1 : b.lang === lang ? 1 : 0))[0]?.contact ?? '';
  const issued = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: ctx.config.timeZone }).format(new Date());
  const shown = people.map((p) => [p.id, p.title, p.given_name, p.family_name, p.function, p.institution, p.nationality, p.passport_number, p.passport_expiry, delegations.get(p.id) ?? '']);
  return {
    key: keyOf(['visa_letters', subject, lang, meetingName, dates, place, contact, issued, shown]),
    html: async () => {
      const country = (code: string) => new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
      const day = (iso: string) => formatDateRange(iso, null, 'day', lang);
      const letters = people
        .map((p) => {
          const name = [p.title ? tr.t(`registration.title.${p.title}` as MessageKey) : '', p.given_name, p.family_name].filter(Boolean).join(' ');
          const rows: [MessageKey, string][] = [
            ['letters.visa.name', name],
            ['letters.visa.nationality', country(p.nationality)],
            ['letters.visa.passport', p.passport_number],
            ['letters.visa.expiry', day(p.passport_expiry)],
            ['letters.visa.function', [p.function, p.institution].filter(Boolean).join(', ')],
            ['letters.visa.delegation', delegations.get(p.id) ?? ''],
          ];
          return `<section class="letter"><header class="letterhead"><p class="org">${escapeText(tr.t('site.name'))}</p><p class="tagline">${escapeText(tr.t('site.tagline'))} · ${escapeText(tr.t('letters.visa.secretariat'))}</p>${contact ? `<p class="contact">${escapeText(contact)}</p>` : ''}</header><div class="meta"><span>${escapeText(tr.t('letters.visa.reference', { reference: `V-${meeting.id}-${p.id}` }))}</span><span>${escapeText(issued)}</span></div><h1>${escapeText(tr.t('letters.visa.title'))}</h1><p>${escapeText(tr.t('letters.visa.to'))}</p><p>${escapeText(tr.t('letters.visa.body', { meeting: meetingName, place: place || '—', dates }))}</p><dl>${rows.filter(([, v]) => v).map(([k, v]) => `<dt>${escapeText(tr.t(k))}</dt><dd>${escapeText(v)}</dd>`).join('')}</dl><p>${escapeText(tr.t('letters.visa.request'))}</p><p>${escapeText(tr.t('letters.visa.costs'))}</p><p class="sign">${escapeText(tr.t('letters.visa.sign'))}</p></section>`;
        })
        .join('');
      return doc(lang, tr.t('letters.visa.title'), LETTER_CSS, `<main>${letters}</main>`);
    },
  };
}

const CONTENT: Record<PrintKind, (ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string) => Promise<PrintContent | null>> = { badges, participants: participantList, certificates, visa_letters: visaLetters };

/** Prints one PDF and keeps it with its key; a print that fails is recorded as failed, for the page to say so. */
export function printJob(ctx: Ctx): JobHandler<{ activityId: number; kind: string; subject: number; lang: string; key: string }> {
  return {
    name: PRINT_JOB,
    options: { retryLimit: 0, expireInSeconds: 10 * 60 },
    async run(data) {
      const activityId = Number(data?.activityId);
      const subject = Number(data?.subject ?? 0);
      const kind = data?.kind as PrintKind;
      const lang = String(data?.lang ?? '');
      if (!Number.isInteger(activityId) || activityId <= 0 || !Number.isInteger(subject) || subject < 0 || !PRINT_KINDS.includes(kind) || !ctx.config.languages.includes(lang)) return;
      const meeting = await loadMeeting(ctx.db, activityId);
      if (!meeting) return;
      const content = await CONTENT[kind](ctx, meeting, subject, lang);
      if (!content || content.key !== data.key) return;
      const now = new Date().toISOString();
      const keep = (values: { pdf: Buffer | null; failed_at: string | null }) =>
        ctx.db
          .insertInto('meeting_prints')
          .values({ activity_id: activityId, kind, subject, lang, content_key: content.key, ...values, created_at: now })
          .onConflict((oc) => oc.columns(['activity_id', 'kind', 'subject', 'lang']).doUpdateSet({ content_key: content.key, ...values, created_at: now }))
          .execute();
      try {
        const pdf = await printPdf(await content.html(), { chromiumPath: ctx.config.chromiumPath, timeoutMs: 5 * 60_000 });
        // What it shows may have changed while it printed (a correction, an erasure): then it is not kept.
        const still = await CONTENT[kind](ctx, meeting, subject, lang);
        if (still?.key !== content.key) return;
        await keep({ pdf, failed_at: null });
      } catch (e) {
        // No Chromium: the page says so without a job. Any other failure is kept for the page to tell.
        if (e instanceof PrintUnavailable) return;
        await keep({ pdf: null, failed_at: now });
        throw e;
      }
    },
  };
}

/**
 * Answers a request for a PDF: the stored one when it shows exactly what is there now, else a
 * page that reloads while one job prints it, or says it failed (with a way to try again) or that
 * no Chromium is installed. Access has been checked by the caller, on the loaded meeting.
 */
export async function servePrint(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  input: { meeting: AgendaMeeting; kind: PrintKind; subject: number; lang: string; fileName: string; backHref: string; retry: boolean; onDeliver?: (() => Promise<unknown>) | undefined },
): Promise<FastifyReply> {
  const { meeting, kind, subject, lang } = input;
  const content = await CONTENT[kind](ctx, meeting, subject, lang);
  const tr = translator(lang);
  const page = (state: 'none' | 'preparing' | 'failed' | 'unavailable', status: number, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return renderAdmin(request, reply, {
      title: tr.t(`attendance.print.${state}` as MessageKey),
      current: 'activities',
      status,
      body: ({ tr: t }) => (
        <>
          <h1 safe>{t.t(`attendance.print.${state}` as MessageKey)}</h1>
          <p data-testid="print-status" safe>
            {t.t(`attendance.print.${state}Body` as MessageKey)}
          </p>
          {state === 'preparing' ? (
            <p>
              <a href={request.url} data-testid="print-again" safe>
                {t.t('attendance.print.again')}
              </a>
            </p>
          ) : (
            ''
          )}
          {state === 'failed' ? (
            <p>
              <a href={`${request.url.split('?')[0]}?${new URLSearchParams({ lang, ...(subject ? { registration: String(subject) } : {}), retry: '1' }).toString()}`} safe>
                {t.t('attendance.print.retry')}
              </a>
            </p>
          ) : (
            ''
          )}
          <p>
            <a href={input.backHref} safe>
              {t.t('attendance.print.back')}
            </a>
          </p>
        </>
      ),
    });
  };
  if (!content) return page('none', 404);
  const stored = await ctx.db.selectFrom('meeting_prints').select(['content_key', 'pdf', 'failed_at']).where('activity_id', '=', meeting.id).where('kind', '=', kind).where('subject', '=', subject).where('lang', '=', lang).executeTakeFirst();
  if (stored?.content_key === content.key && stored.pdf) {
    await input.onDeliver?.();
    return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition(input.fileName)).header('x-content-type-options', 'nosniff').send(Buffer.from(stored.pdf));
  }
  if (!(await canPrint(ctx.config.chromiumPath))) return page('unavailable', 503, { 'retry-after': '3600' });
  if (stored?.content_key === content.key && stored.failed_at) {
    if (!input.retry) return page('failed', 500);
    // Tried again: the failure is forgotten, so the page waits for the new job.
    await ctx.db.updateTable('meeting_prints').set({ failed_at: null }).where('activity_id', '=', meeting.id).where('kind', '=', kind).where('subject', '=', subject).where('lang', '=', lang).execute();
  }
  await ctx.jobs.send(PRINT_JOB, { activityId: meeting.id, kind, subject, lang, key: content.key }, { singletonKey: `${meeting.id}:${kind}:${subject}:${lang}:${content.key}` });
  // No automatic reload (it would interrupt a screen reader): the page offers to look again.
  return page('preparing', 202, { 'retry-after': '5' });
}
