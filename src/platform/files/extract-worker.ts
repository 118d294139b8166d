/**
 * The worker thread extractTextIsolated starts for one file: it reads the text with the in-process
 * readers and posts the outcome once. Run there, a reader that loops or swallows memory can be
 * terminated (or hits the worker's heap limit) without stopping the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractText } from './extract.js';
import { FileRejected, type FileKind, type InspectLimits } from './inspect.js';

/** What the worker is given: the local file, its kind and the limits of the readers. */
export interface ExtractionRequest {
  path: string;
  kind: FileKind;
  limits: InspectLimits;
}

/** What the worker posts back. */
export type ExtractionReply =
  | { ok: true; text: string; pages: number | null; language: string | null }
  | { ok: false; rejected: { reason: FileRejected['reason']; detail?: string } }
  | { ok: false; error: string };

async function main(port: NonNullable<typeof parentPort>, request: ExtractionRequest): Promise<void> {
  let reply: ExtractionReply;
  try {
    // The caller has given pdftotext its chance already: here a PDF is read by unpdf.
    reply = { ok: true, ...(await extractText(request.path, request.kind, request.limits, { pdftotext: false })) };
  } catch (error) {
    if (error instanceof FileRejected) reply = { ok: false, rejected: { reason: error.reason, detail: error.detail } };
    else reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
}

if (parentPort) await main(parentPort, workerData as ExtractionRequest);
