import { readFileSync, renameSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VendorSandbox } from './sandbox';

/**
 * A sandbox's state in one JSON file, so the demo survives a restart: read once when the
 * sandbox is built, written a moment after changes (one write per `delayMs` at most, however
 * many requests) and at shutdown. Writes go to a temporary file renamed over the old one, so a
 * crash mid-write leaves the previous state, never half a file.
 */
export class SandboxStateFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => T) | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    /** The shape of the state: a file of another version is not read (the sandbox starts anew). */
    private readonly version: number,
    private readonly delayMs = 500,
  ) {}

  /** The saved state; undefined when there is none, or it is of another version or unreadable (then kept aside as `.unreadable`). */
  read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const saved = JSON.parse(text) as { version?: unknown; state?: T };
      if (saved.version === this.version && saved.state !== undefined) return saved.state;
    } catch {
      // falls through: a file nobody can read is moved aside, not overwritten unseen
    }
    renameSync(this.path, `${this.path}.unreadable`);
    return undefined;
  }

  /** Something changed: `snapshot` is taken and written shortly (it is called then, not now). */
  changed(snapshot: () => T): void {
    this.pending = snapshot;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
  }

  /** Writes a pending change now; resolves when every write so far is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.pending;
    this.pending = undefined;
    if (snapshot) {
      // Taken now, synchronously, so the file holds one consistent moment of the sandbox.
      const text = JSON.stringify({ version: this.version, savedAt: new Date().toISOString(), state: snapshot() });
      this.writing = this.writing.then(() => this.write(text));
    }
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, this.path);
  }
}

/**
 * Keeps a sandbox's state in `file` (none: in memory only): saved after every request that may
 * have changed it (any method but GET and HEAD, control requests included) by wrapping its
 * handler, so the vendor code stays unaware; saved at once when the sandbox was just generated;
 * and saved once more by `flush` at shutdown, which also catches changes made by direct calls.
 */
export function keepSandboxState<T>(
  sandbox: VendorSandbox,
  file: SandboxStateFile<T> | undefined,
  snapshot: () => T,
  restored: boolean,
): { restored: boolean; flush(): Promise<void> } {
  if (!file) return { restored: false, flush: async () => undefined };
  const handle = sandbox.handle.bind(sandbox);
  sandbox.handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => file.changed(snapshot));
    handle(req, res);
  };
  if (!restored) file.changed(snapshot);
  return {
    restored,
    flush: () => {
      file.changed(snapshot);
      return file.flush();
    },
  };
}
