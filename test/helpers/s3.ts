import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface TestS3 {
  /** A storage URL for the bucket (s3rver's fixed credentials, path-style, on loopback). */
  url: string;
  endpoint: string;
  bucket: string;
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

// Runs in the child: s3rver on 127.0.0.1, port 0; prints the bound port and stops when its stdin
// closes, so it cannot outlive the test process even if that one is killed.
const SERVER = `
const S3rver = require(process.argv[1]);
const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

/**
 * An S3-compatible server (s3rver) on 127.0.0.1 and a free port, keeping its objects in a fresh
 * temporary directory, with one empty bucket. It runs in a child process started with
 * --openssl-legacy-provider: s3rver makes ListObjectsV2 continuation tokens with DES, which
 * OpenSSL 3 only has in its legacy provider (without it every truncated listing is a 500).
 * s3rver requires the access key S3RVER but does not check SigV4 signatures.
 */
export async function startS3(bucket = 'diwan-test'): Promise<TestS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'diwan-s3-'));
  const entry = createRequire(import.meta.url).resolve('s3rver');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER, entry, directory, bucket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve((JSON.parse(out) as { port: number }).port);
      });
      child.on('exit', (code) => reject(new Error(`s3rver exited before listening (code ${code})`)));
      child.on('error', reject);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    url: `s3://S3RVER:S3RVER@${bucket}/uploads?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&path_style=true`,
    endpoint,
    bucket,
    stop,
  };
}
