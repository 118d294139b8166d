/**
 * The storage URL: where uploaded files are kept. None (or `file:`) means the local disk under the
 * data directory; `s3://ACCESS_KEY:SECRET@bucket/prefix?endpoint=...&region=...&path_style=true`
 * means a bucket of S3 or of an S3-compatible server. Error messages name what is wrong but never
 * repeat the secret.
 */

/** What a storage URL says, checked. */
export type StorageSettings =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      /** Prepended to every key: empty, or ending in '/'. */
      prefix: string;
      endpoint?: string;
      region: string;
      forcePathStyle: boolean;
      /** Absent: the AWS SDK's default chain (environment, shared files, instance role). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

const DEFAULT_REGION = 'us-east-1';
const QUERY_KEYS = new Set(['endpoint', 'region', 'path_style']);
// S3's rules for bucket names (3-63 lowercase letters, digits, dots and hyphens).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{1,64}$/;

function invalid(why: string): Error {
  return new Error(`invalid storage URL: ${why}`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`the ${what} has a malformed percent-encoding`);
  }
}

/** Where the userinfo (`user:secret@`) of a URL ends, found without parsing it (it may not parse). */
function userinfoEnd(url: string): { start: number; at: number } | null {
  const scheme = url.indexOf('://');
  if (scheme < 0) return null;
  const start = scheme + 3;
  const query = url.indexOf('?', start);
  // The last '@' before the query: a secret written without percent-encoding may hold '/' or '@'.
  const at = url.lastIndexOf('@', query < 0 ? url.length : query);
  return at >= start ? { start, at } : null;
}

/** The URL with its secret replaced by `***`, for logs and error messages. */
export function redactStorageUrl(url: string): string {
  const span = userinfoEnd(url);
  if (!span) return url;
  const colon = url.indexOf(':', span.start);
  if (colon < 0 || colon > span.at) return url;
  return `${url.slice(0, colon + 1)}***${url.slice(span.at)}`;
}

function parsePathStyle(value: string | null, hasEndpoint: boolean): boolean {
  // S3-compatible servers on their own endpoint usually serve buckets by path, not by host name.
  if (value === null) return hasEndpoint;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid('path_style must be true or false');
}

function parseEndpoint(value: string | null): string | undefined {
  if (value === null) return undefined;
  let endpoint: URL;
  try {
    endpoint = new URL(value);
  } catch {
    throw invalid('endpoint must be an http:// or https:// URL');
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw invalid('endpoint must be an http:// or https:// URL');
  if (endpoint.username || endpoint.password) throw invalid('put the credentials before the bucket name, not in the endpoint');
  return value;
}

function parseCredentials(u: URL): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!u.username && !u.password) return undefined;
  if (!u.username) throw invalid('there is a secret but no access key before it');
  if (!u.password) throw invalid('there is an access key but no secret (write ACCESS_KEY:SECRET@bucket)');
  return { accessKeyId: decode(u.username, 'access key'), secretAccessKey: decode(u.password, 'secret') };
}

function parsePrefix(pathname: string): string {
  const prefix = decode(pathname, 'prefix').replace(/^\/+|\/+$/g, '');
  if (prefix === '') return '';
  if (prefix.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw invalid('the prefix has an empty, "." or ".." segment');
  }
  return `${prefix}/`;
}

function parseS3(url: string): StorageSettings {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Node's error would carry the whole input, secret included.
    throw invalid('it does not parse as s3://[ACCESS_KEY:SECRET@]bucket[/prefix][?endpoint=...] (percent-encode "/", "@" and ":" in the key and secret)');
  }
  if (u.port) throw invalid('a bucket has no port; give the server as ?endpoint=http://host:port');
  const bucket = u.hostname;
  if (!BUCKET.test(bucket)) throw invalid(`"${bucket}" is not a bucket name (3-63 lowercase letters, digits, "." and "-")`);
  if (u.hash) throw invalid('a storage URL has no #fragment');
  for (const key of u.searchParams.keys()) {
    if (!QUERY_KEYS.has(key)) throw invalid(`unknown parameter "${key}" (known: endpoint, region, path_style)`);
  }
  const region = u.searchParams.get('region') ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw invalid('region must look like eu-west-1');
  const endpoint = parseEndpoint(u.searchParams.get('endpoint'));
  const settings: StorageSettings = {
    kind: 's3',
    bucket,
    prefix: parsePrefix(u.pathname),
    region,
    forcePathStyle: parsePathStyle(u.searchParams.get('path_style'), endpoint !== undefined),
  };
  if (endpoint !== undefined) settings.endpoint = endpoint;
  const credentials = parseCredentials(u);
  if (credentials) settings.credentials = credentials;
  return settings;
}

/**
 * Reads a storage URL: undefined, empty or `file:` (the data directory) gives local storage,
 * `s3://` a bucket; anything else is an Error naming the problem (without the secret).
 */
export function parseStorageUrl(url: string | undefined): StorageSettings {
  if (url === undefined || url.trim() === '') return { kind: 'local' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    // Local files always live under the data directory, which DATA_DIR moves.
    if (!/^file:(\/\/\/?)?$/i.test(url)) throw invalid('file: takes no path (local files are kept under the data directory; set DATA_DIR to move them)');
    return { kind: 'local' };
  }
  if (scheme === 's3') return parseS3(url);
  throw invalid(`unsupported scheme${scheme ? ` "${scheme}:"` : ''} (use file: or s3://)`);
}
