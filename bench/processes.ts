/**
 * Child processes of the benchmark, tracked by PID so every one of them can be stopped at the end,
 * on error and on interrupt, and none is left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const MAX_CAPTURE = 256 * 1024;

export interface Tracked {
  name: string;
  pid: number;
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly running: boolean;
  exited: Promise<void>;
}

/** Keeps the last MAX_CAPTURE characters of a stream, so a chatty child never blocks on a full pipe. */
function capture(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > MAX_CAPTURE) text = text.slice(-MAX_CAPTURE);
  });
  return () => text;
}

export class Children {
  private readonly live = new Map<number, Tracked>();

  spawn(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; /** Send standard output to this file instead of keeping it (a server's access log). */ stdoutFile?: string } = {}): Tracked {
    const out = options.stdoutFile ? openSync(options.stdoutFile, 'a') : 'pipe';
    const proc = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const pid = proc.pid;
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let running = true;
    const exited = new Promise<void>((resolve) => {
      proc.once('exit', (code, sig) => {
        exitCode = code;
        signal = sig;
        running = false;
        this.live.delete(pid);
        resolve();
      });
      proc.once('error', () => {
        running = false;
        this.live.delete(pid);
        resolve();
      });
    });
    const tracked: Tracked = {
      name,
      pid,
      proc,
      stdout: capture(proc.stdout),
      stderr: capture(proc.stderr),
      get exitCode() {
        return exitCode;
      },
      get signal() {
        return signal;
      },
      get running() {
        return running;
      },
      exited,
    };
    this.live.set(pid, tracked);
    return tracked;
  }

  /** Runs a command to its end (killed after timeoutMs) and returns it with its output. */
  async run(name: string, command: string, args: string[], timeoutMs: number): Promise<Tracked> {
    const t = this.spawn(name, command, args);
    const timer = setTimeout(() => void this.stop(t, 2000), timeoutMs);
    await t.exited;
    clearTimeout(timer);
    return t;
  }

  /** SIGTERM by PID, then SIGKILL if it has not exited after graceMs. */
  async stop(t: Tracked, graceMs = 5000): Promise<void> {
    if (!t.running) return;
    signalPid(t.pid, 'SIGTERM');
    const timer = setTimeout(() => signalPid(t.pid, 'SIGKILL'), graceMs);
    await t.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((t) => this.stop(t)));
  }

  /** Last resort from a synchronous `exit` handler. */
  killAllNow(): void {
    for (const t of this.live.values()) signalPid(t.pid, 'SIGKILL');
    this.live.clear();
  }
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
