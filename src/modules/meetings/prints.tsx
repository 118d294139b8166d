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
import { loadMeeting, type AgendaMeeting } from './meetings.repository.js';

/**
 * PDFs for organisers (decision 0025's way: HTML printed by Chromium in a job): badges now, and
 * each kind added here. The page that asks computes the key of exactly what the PDF would show;
 * a stored PDF with that key is sent, else one job prints it and the page says it is being
 * prepared (or that it failed, or that no Chromium is installed) instead of waiting for ever.
 */

export const PRINT_JOB = 'meetings.print';
/** Changes when a printed layout changes, so every PDF is printed again. */
const PRINT_VERSION = 'p1';
export const PRINT_KINDS = ['badges'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

type Ctx = Pick<AppContext, 'db' | 'config' | 'baseUrl'>;

interface PrintContent {
  key: string;
  /** The HTML to print: built only by the job. */
  html(): Promise<string>;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const keyOf = (parts: unknown[]) => createHash('sha256').update(JSON.stringify([PRINT_VERSION, ...parts])).digest('hex').slice(0, 32);
const titleIn = (m: AgendaMeeting, lang: string) => m.titles[lang] ?? Object.values(m.titles)[0] ?? `#${m.id}`;

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
  const meetingLine = `${titleIn(meeting, lang)} · ${formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, lang)}`;
  const shown = people.map((p) => [p.id, p.title, p.givenName, p.familyName, p.function, p.delegation, p.role, p.badgeCode]);
  return {
    key: keyOf(['badges', subject, lang, meetingLine, ctx.baseUrl, shown]),
    html: async () => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeText(tr.t('attendance.badges.title', { title: titleIn(meeting, lang) }))}</title><style>${BADGE_CSS}</style></head><body><main class="sheet">${people.map((p) => badgeHtml(ctx, tr, meetingLine, p)).join('')}</main></body></html>`,
  };
}

const CONTENT: Record<PrintKind, (ctx: Ctx, meeting: AgendaMeeting, subject: number, lang: string) => Promise<PrintContent | null>> = { badges };

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
        await keep({ pdf: await printPdf(await content.html(), { chromiumPath: ctx.config.chromiumPath, timeoutMs: 5 * 60_000 }), failed_at: null });
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
export async function servePrint(request: FastifyRequest, reply: FastifyReply, ctx: AppContext, input: { meeting: AgendaMeeting; kind: PrintKind; subject: number; lang: string; fileName: string; backHref: string; retry: boolean }): Promise<FastifyReply> {
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
    return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition(input.fileName)).header('x-content-type-options', 'nosniff').send(Buffer.from(stored.pdf));
  }
  if (!(await canPrint(ctx.config.chromiumPath))) return page('unavailable', 503, { 'retry-after': '3600' });
  if (stored?.content_key === content.key && stored.failed_at) {
    if (!input.retry) return page('failed', 500);
    // Tried again: the failure is forgotten, so the page waits for the new job.
    await ctx.db.updateTable('meeting_prints').set({ failed_at: null }).where('activity_id', '=', meeting.id).where('kind', '=', kind).where('subject', '=', subject).where('lang', '=', lang).execute();
  }
  await ctx.jobs.send(PRINT_JOB, { activityId: meeting.id, kind, subject, lang, key: content.key }, { singletonKey: `${meeting.id}:${kind}:${subject}:${lang}:${content.key}` });
  return page('preparing', 202, { refresh: '3', 'retry-after': '3' });
}
