import { access, constants } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/** Logging callback used by every resolver. Lines never contain passwords. */
export type Log = (msg: string) => void;

export const noopLog: Log = () => {};

/** Value of an environment variable, treating unset, empty and whitespace-only alike. */
export function envValue(name: string): string | undefined {
  const v = process.env[name];
  return v !== undefined && v.trim() !== '' ? v : undefined;
}

export function envFlag(name: string): boolean {
  const v = envValue(name)?.trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'yes' || v === 'on';
}

/** Replace the password part of any `scheme://user:password@host` in `text` with `***`. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@\s/]*)@/gi, '$1:***@');
}

/** An unused TCP port on 127.0.0.1 (picked by the kernel; there is a small race until it is bound again). */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

/** First executable called `name` on PATH, or undefined. */
export async function findOnPath(name: string): Promise<string | undefined> {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reject with `message` if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return String(err);
}

/** Keeps the last `size` lines pushed into it (used to explain why a child process died). */
export class LineBuffer {
  private lines: string[] = [];
  constructor(private readonly size = 40) {}
  push(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (line.trim() === '' || line === this.lines[this.lines.length - 1]) continue;
      this.lines.push(line);
      if (this.lines.length > this.size) this.lines.shift();
    }
  }
  includes(re: RegExp): boolean {
    return this.lines.some((l) => re.test(l));
  }
  tail(n = 12): string {
    return this.lines.slice(-n).join('\n');
  }
  clear(): void {
    this.lines = [];
  }
}

export function elapsed(startedAt: number): string {
  return `${Math.round(performance.now() - startedAt)} ms`;
}
