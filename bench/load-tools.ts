/**
 * Load generators for the benchmark: wrk (preferred, Debian package) and autocannon (npm fallback).
 * Both are run as child processes through `runTracked`, so the caller can kill them on interrupt.
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Tracked } from './processes.js';

export interface LoadSettings {
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  totalRequests: number;
  /** Responses with a status outside 2xx (wrk counts status >= 400; autocannon counts every non-2xx). */
  non2xx: number;
  /** Connection, read, write errors and timeouts. */
  socketErrors: number;
  raw: string;
}

export type Runner = (command: string, args: string[], timeoutMs: number) => Promise<Tracked>;

/** The wrk executable, or undefined when it is not installed. */
export function findWrk(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'wrk');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const UNIT_TO_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function wrkPercentile(output: string, percent: string): number {
  const m = new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(output);
  if (!m?.[1] || !m[2]) throw new Error(`could not read the ${percent}th percentile from wrk output:\n${output}`);
  return Number(m[1]) * (UNIT_TO_MS[m[2]] ?? Number.NaN);
}

/** Parses the text wrk prints with `--latency`. */
export function parseWrk(output: string): Omit<LoadResult, 'tool' | 'raw'> {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  if (!rps?.[1]) throw new Error(`could not read Requests/sec from wrk output:\n${output}`);
  const total = /^\s*(\d+) requests in /m.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: wrkPercentile(output, '50'),
    p99Ms: wrkPercentile(output, '99'),
    totalRequests: Number(total?.[1] ?? 0),
    non2xx: Number(non2xx?.[1] ?? 0),
    socketErrors: sock ? sock.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

export async function runWrk(wrk: string, s: LoadSettings, run: Runner): Promise<LoadResult> {
  const args = [`-t${s.threads}`, `-c${s.connections}`, `-d${s.durationSeconds}s`, '--latency'];
  for (const [k, v] of Object.entries(s.headers)) args.push('-H', `${k}: ${v}`);
  args.push(s.url);
  const done = await run(wrk, args, (s.durationSeconds + 60) * 1000);
  const output = done.stdout();
  if (done.exitCode !== 0) throw new Error(`wrk exited with ${done.exitCode ?? done.signal}:\n${output}\n${done.stderr()}`);
  return { tool: 'wrk', ...parseWrk(output), raw: output };
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** autocannon's CLI script, resolved from the project's node_modules. */
function autocannonScript(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
}

export async function runAutocannon(s: LoadSettings, run: Runner): Promise<LoadResult> {
  const args = [autocannonScript(), '-c', String(s.connections), '-d', String(s.durationSeconds), '-w', String(s.threads), '--json', '--no-progress'];
  for (const [k, v] of Object.entries(s.headers)) args.push('-H', `${k}=${v}`);
  args.push(s.url);
  const done = await run(process.execPath, args, (s.durationSeconds + 60) * 1000);
  const output = done.stdout();
  if (done.exitCode !== 0) throw new Error(`autocannon exited with ${done.exitCode ?? done.signal}:\n${output}\n${done.stderr()}`);
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`autocannon printed no JSON result:\n${output}\n${done.stderr()}`);
  const j = JSON.parse(line) as AutocannonJson;
  return {
    tool: 'autocannon',
    requestsPerSecond: j.requests.average,
    p50Ms: j.latency.p50,
    p99Ms: j.latency.p99,
    totalRequests: j.requests.total,
    non2xx: j.non2xx,
    socketErrors: j.errors, // autocannon's errors already include its timeouts
    raw: line,
  };
}
