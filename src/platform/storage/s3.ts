/**
 * Files in a bucket of S3 or of an S3-compatible server, for deployments where several instances
 * share the files. Uploads are still staged on the local disk (to be inspected first); a commit
 * uploads the temporary (in parts when it is big) unless an object with that key and size is
 * already there, then deletes the temporary.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  FileMissing,
  assertStagedHere,
  assertValidKey,
  assertValidRange,
  isValidKey,
  keyFor,
  stageUpload,
  sweepUploads,
  type ByteRange,
  type CommitOptions,
  type FileStore,
  type StagedFile,
  type StoredFile,
} from './storage.js';
import type { StorageSettings } from './url.js';

type S3Settings = Extract<StorageSettings, { kind: 's3' }>;

/** Tuning that tests change; production uses the defaults. */
export interface S3StoreOptions {
  /** Keys asked for per ListObjectsV2 page (S3's maximum, 1000, by default). */
  pageSize?: number;
  /** Bytes per part of a multipart upload (8 MiB by default; S3's minimum is 5 MiB). */
  partSize?: number;
}

// Two parts in flight: an upload holds at most 2 x partSize in memory.
const QUEUE_SIZE = 2;
const PART_SIZE = 8 * 1024 * 1024;

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchKey';
}

function clientConfig(settings: S3Settings): S3ClientConfig {
  const config: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    // Checksums only where S3 requires them: with the SDK's default (every request, streamed as
    // aws-chunked), several S3-compatible servers store the chunk framing as part of the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.credentials) config.credentials = settings.credentials;
  return config;
}

/** S3 storage; see the file's comment. */
class S3FileStore implements FileStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    settings: S3Settings,
    private readonly dataDir: string,
    private readonly options: S3StoreOptions,
  ) {
    this.client = new S3Client(clientConfig(settings));
    this.bucket = settings.bucket;
    this.prefix = settings.prefix;
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  stage(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, options: { maxBytes: number }): Promise<StagedFile> {
    return stageUpload(this.dataDir, source, options.maxBytes);
  }

  async commit(staged: StagedFile, options: CommitOptions = {}): Promise<StoredFile> {
    assertStagedHere(staged, this.dataDir);
    const stored = { key: keyFor(staged.sha256), sha256: staged.sha256, size: staged.size };
    // The key is the content's hash: an object already there with the same size holds the same bytes.
    const existing = await this.stat(stored.key);
    if (existing?.size !== staged.size) {
      const upload = new Upload({
        client: this.client,
        queueSize: QUEUE_SIZE,
        partSize: this.options.partSize ?? PART_SIZE,
        params: {
          Bucket: this.bucket,
          Key: this.objectKey(stored.key),
          Body: createReadStream(staged.path),
          ContentType: 'application/octet-stream',
          Metadata: { sha256: staged.sha256 },
        },
      });
      await upload.done();
    }
    if (!options.keepStaged) await staged.discard();
    return stored;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const Key = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: head.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    const Key = this.objectKey(key);
    if (range) assertValidRange(range);
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      // On Node.js the body is the response stream (an http.IncomingMessage).
      return got.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new FileMissing(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async *list(): AsyncIterable<string> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}sha256/`, ContinuationToken, MaxKeys: this.options.pageSize ?? 1000 }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        if (key !== undefined && isValidKey(key)) yield key;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  sweep(olderThanMs: number): Promise<number> {
    // Only the local temporaries: parts of multipart uploads cut short are for the bucket's
    // lifecycle rule (AbortIncompleteMultipartUpload) to remove.
    return sweepUploads(this.dataDir, olderThanMs);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** Opens storage in the bucket the settings name; staging stays under `<dataDir>/tmp/uploads`. */
export function openS3Store(settings: S3Settings, dataDir: string, options: S3StoreOptions = {}): FileStore {
  return new S3FileStore(settings, dataDir, options);
}
