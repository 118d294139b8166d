import { createReadStream, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/database.js';
import { inspectFile } from '../../../platform/files/inspect.js';
import { cleanFileName } from '../../../platform/files/names.js';
import { openFileStore } from '../../../platform/storage/storage.js';
import { addDocumentFiles, createDocument, type IncomingFile } from '../documents.commands.js';
import { extractionJob } from '../documents.jobs.js';
import { DocumentTranslationSchema, DOCUMENT_TYPES, ACCESS_TIERS } from '../documents.schemas.js';

const DemoSchema = z.array(
  z.object({
    key: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    doc_date: z.string(),
    access: z.enum(ACCESS_TIERS),
    /** The key of the demo activity it belongs to. */
    activity: z.string(),
    t: z.record(z.string(), DocumentTranslationSchema),
    files: z.record(z.string(), z.string().regex(/^[a-z0-9-]+\.pdf$/)),
  }),
);

/**
 * Loads the demo library: a few documents of the founding meeting, with their PDF files (written
 * by scripts/make-demo-documents.ts, marked as demo documents), stored and read at once so that
 * the library, the activity page and the search show them from the first start. Documents whose
 * key exists are left alone.
 */
export async function seedDemoDocuments(db: Db, config: Config): Promise<number> {
  const demo = DemoSchema.parse(JSON.parse(readFileSync(new URL('./documents.json', import.meta.url), 'utf8')));
  const store = await openFileStore({ url: config.storageUrl, dataDir: config.dataDir });
  const extract = extractionJob({ db, files: store, config });
  let created = 0;
  try {
    for (const d of demo) {
      if (await db.selectFrom('documents').select('id').where('key', '=', d.key).executeTakeFirst()) continue;
      const activity = await db.selectFrom('activities').select('id').where('key', '=', d.activity).executeTakeFirst();
      const t = Object.fromEntries(Object.entries(d.t).filter(([l]) => config.languages.includes(l)));
      if (!Object.keys(t).length) continue;
      const id = await createDocument(
        db,
        { key: d.key, type: d.type, doc_date: d.doc_date, access: d.access, activities: activity ? [activity.id] : [], published: true, t },
        { id: null, canPublish: true },
        { action: 'seed', countsAsEdit: false },
      );
      const files: IncomingFile[] = [];
      for (const [lang, name] of Object.entries(d.files)) {
        if (!config.languages.includes(lang)) continue;
        const path = new URL(`./${name}`, import.meta.url);
        const staged = await store.stage(createReadStream(path), { maxBytes: config.maxUploadBytes });
        const inspected = await inspectFile(staged.path, { declaredName: name });
        files.push({ lang, status: 'adopted', staged, inspected, fileName: cleanFileName(name, inspected.extension) });
      }
      for (const fileId of await addDocumentFiles(db, store, id, files, null)) await extract.run({ fileId }, { id: 'seed', attempt: 1 });
      created++;
    }
  } finally {
    await store.close();
  }
  return created;
}
