/**
 * A lock file beside the memory file, taken by exclusive create (O_EXCL works across processes and on
 * network file systems where advisory locks do not). A lock whose owner died, or that is older than
 * STALE_MS, is broken: a crashed window must not block every other writer forever.
 */
import * as fs from 'fs';
import * as os from 'os';
import { EngineError, errorMessage } from '../errors';
import { writeFully } from './write-fully';

export const STALE_MS = 30_000;
/**
 * A lock file is filled in microseconds after it is created; one still empty or unreadable after this long
 * was left by a writer that died in between (or on a full disk) and has no owner to wait for.
 */
export const UNFILLED_STALE_MS = 2_000;

interface LockInfo {
  pid: number;
  host: string;
  at: number;
  token: string;
}

function readLock(lockFile: string): { info: LockInfo | null; raw: string; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(lockFile, 'utf8');
    const mtimeMs = fs.statSync(lockFile).mtimeMs;
    try {
      return { info: JSON.parse(raw) as LockInfo, raw, mtimeMs };
    } catch {
      // written but not yet filled in, or garbage: only its age can tell
      return { info: null, raw, mtimeMs };
    }
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lock: { info: LockInfo | null; mtimeMs: number }, now: number): boolean {
  if (now - lock.mtimeMs > STALE_MS) return true;
  const info = lock.info;
  if (!info) return now - lock.mtimeMs > UNFILLED_STALE_MS;
  // a pid is only meaningful on the host that wrote it
  return info.host === hostname() && info.pid !== process.pid && !pidAlive(info.pid);
}

let cachedHost: string | undefined;
function hostname(): string {
  cachedHost ??= os.hostname();
  return cachedHost;
}

/**
 * Breaks a stale lock without stealing a fresh one: the lock is renamed away first and only discarded if it
 * is still the one judged stale; otherwise it is put back.
 */
function breakStale(lockFile: string, seen: string): void {
  const aside = `${lockFile}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // someone else broke or released it first
  }
  let raw = '';
  try {
    raw = fs.readFileSync(aside, 'utf8');
  } catch {
    // unreadable: treat as the stale one
  }
  if (raw !== seen) {
    try {
      fs.linkSync(aside, lockFile);
    } catch {
      // a new lock was taken meanwhile; the one we moved is still lost to its owner, who will notice on release
    }
  }
  fs.rmSync(aside, { force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HeldLock {
  release(): void;
}

export async function acquireLock(lockFile: string, timeoutMs = 15_000): Promise<HeldLock> {
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const body = JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token } satisfies LockInfo);
  const started = Date.now();
  let delay = 2;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      try {
        writeFully(fd, Buffer.from(body));
      } catch (err) {
        // a lock we could not fill in (full disk) must not block every writer until it goes stale
        fs.closeSync(fd);
        fs.rmSync(lockFile, { force: true });
        throw new EngineError('internal', `cannot take the lock ${lockFile} of the memory file: ${errorMessage(err)}. Nothing was saved.`, { cause: err });
      }
      fs.closeSync(fd);
      return {
        release() {
          // only remove our own lock (a lock broken as stale may have been retaken by another writer)
          const now = readLock(lockFile);
          if (now && now.raw === body) fs.rmSync(lockFile, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(lockFile);
    if (held && isStale(held, Date.now())) {
      breakStale(lockFile, held.raw);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const owner = held?.info ? `process ${held.info.pid} on ${held.info.host}` : 'another process';
      throw new EngineError(
        'internal',
        `the memory file is locked by ${owner} (lock file ${lockFile}); waited ${Math.round(timeoutMs / 1000)} s. If no ReasoningBank window or command is running, delete the lock file.`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}
