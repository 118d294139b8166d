import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import type { JobHandler } from '../../platform/jobs/jobs.js';
import { translator } from '../../platform/i18n/i18n.js';
import { url } from '../../platform/http/urls.js';
import { printPdf, PrintUnavailable } from '../../platform/pdf/print.js';
import { publicDocumentsOfActivity } from '../documents/index.js';
import { meetingDays, publicMeetingById, publicSessionsOf, type PublicMeeting } from './meetings.repository.js';
import { AgendaPage, type AgendaDocument } from './meetings.views.js';

export const AGENDA_PDF_JOB = 'meetings.agenda_pdf';
/** Changes when the printed layout changes, so every agenda is printed again. */
const PRINT_VERSION = 'p1';

/** The styles of the printed agenda, inline: the printer has no network. */
const PRINT_CSS = `
@page { size: A4; margin: 15mm; }
body { font: 10.5pt/1.4 "DejaVu Serif", Georgia, serif; color: #000; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 1mm; }
a { color: #000; text-decoration: none; }
.back, .agenda-actions { display: none; }
.agenda-slot { display: grid; grid-template-columns: 22mm 1fr; gap: 1mm 4mm; border-top: 1px solid #999; padding: 2mm 0; break-inside: avoid; }
.agenda-time { font-weight: bold; margin: 0; }
.agenda-parallel { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; margin: 0; padding: 0; list-style: none; }
.agenda-kind { color: #333; font-size: 9.5pt; margin: 0; }
.agenda-session p, .agenda-session ul { margin: 0.5mm 0; }
.agenda-people { padding-inline-start: 4mm; }
`;

/** What the printed agenda shows, and its key: the hash of exactly that, so any change prints it again. */
export async function agendaForPrint(ctx: Pick<AppContext, 'db'>, meeting: PublicMeeting, lang: string, now: string) {
  const sessions = await publicSessionsOf(ctx.db, meeting);
  const library = await publicDocumentsOfActivity(ctx.db, meeting.id, lang, now);
  const documents = new Map<number, AgendaDocument>(library.map((d) => [d.id, { id: d.id, title: d.title, href: url('documents.show', lang, { slug: d.slug }) }]));
  const key = createHash('sha256')
    .update(JSON.stringify([PRINT_VERSION, lang, meeting.title, meeting.place, meeting.timeZone, sessions, [...documents.values()]]))
    .digest('hex')
    .slice(0, 32);
  return { key, sessions, documents };
}

async function printedHtml(meeting: PublicMeeting, lang: string, content: Awaited<ReturnType<typeof agendaForPrint>>): Promise<string> {
  const tr = translator(lang);
  const body = await (
    <AgendaPage tr={tr} title={meeting.title} meetingHref="" calendarHref="" pdfHref={null} timeZone={meeting.timeZone!} sessions={content.sessions} documents={content.documents} />
  );
  const title = tr.t('agenda.titleOf', { title: meeting.title });
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeText(title)}</title><style>${PRINT_CSS}</style></head><body><main>${body}</main></body></html>`;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Prints a published meeting's agenda in one language and keeps it with the key of what it shows.
 * A job for an agenda that has changed since it was queued does nothing (the page queues another).
 */
export function agendaPdfJob(ctx: Pick<AppContext, 'db' | 'config'>): JobHandler<{ activityId: number; lang: string; key: string }> {
  return {
    name: AGENDA_PDF_JOB,
    options: { retryLimit: 2, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 5 * 60 },
    async run(data) {
      const activityId = Number(data?.activityId);
      const lang = String(data?.lang ?? '');
      if (!Number.isInteger(activityId) || activityId <= 0 || !ctx.config.languages.includes(lang)) return;
      const now = new Date().toISOString();
      const meeting = await publicMeetingById(ctx.db, activityId, lang, now);
      if (!meeting || !meeting.timeZone || !meetingDays(meeting)) return;
      const content = await agendaForPrint(ctx, meeting, lang, now);
      if (content.key !== data.key || !content.sessions.length) return;
      let pdf: Buffer;
      try {
        pdf = await printPdf(await printedHtml(meeting, lang, content), { chromiumPath: ctx.config.chromiumPath, timeoutMs: 90_000 });
      } catch (e) {
        // No Chromium: nothing to retry; the page says so.
        if (e instanceof PrintUnavailable) return;
        throw e;
      }
      await ctx.db
        .insertInto('agenda_pdfs')
        .values({ activity_id: activityId, lang, content_key: content.key, pdf, created_at: now })
        .onConflict((oc) => oc.columns(['activity_id', 'lang']).doUpdateSet({ content_key: content.key, pdf, created_at: now }))
        .execute();
    },
  };
}
