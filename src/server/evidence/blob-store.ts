/**
 * Content-addressed file storage behind one interface. The store shipped keeps files on local disk
 * under <dir>/<sha[0:2]>/<sha> (`ANJIAN_BLOB_DIR`); another store would implement the same interface.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The first bytes, for type sniffing. */
  head: Uint8Array;
  /** True when this put wrote the file; false when the same content was already stored. */
  created: boolean;
  /**
   * The blob's write time as this put left it (written, or touched when already stored). A later
   * put of the same content moves it forward, which `remove` uses to spare a blob another upload holds.
   */
  storedAt: Date;
}

export interface BlobStore {
  /** Streams `source` into the store; the same content is stored once. Throws when over `maxBytes`. */
  put(source: Readable, maxBytes: number): Promise<StoredBlob>;
  get(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  /**
   * Removes a blob no row refers to any more (used to clean up after a failed transaction, and by
   * the orphan sweep). With `storedAt`, a blob written or touched after it is kept: an upload of the
   * same content is in flight and about to refer to it. Returns whether the blob was removed.
   */
  remove(sha256: string, storedAt?: Date): Promise<boolean>;
  /** Every stored blob with its write time, for the orphan sweep. */
  list(): AsyncIterable<{ sha256: string; storedAt: Date }>;
  /** Removes temporary files of uploads that never finished (a process killed mid-write). */
  removeStaleTemp(olderThan: Date): Promise<number>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file exceeds ${maxBytes} bytes`);
  }
}

/** A temp file written by a process of this host that no longer runs (killed mid-upload). */
function isFromDeadProcess(name: string): boolean {
  const [host, pidText] = name.split('~');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class LocalBlobStore implements BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'tmp'), { recursive: true });
  }
  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }
  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    // The writer's host and pid are in the name, so a restart can tell a dead process's leftovers.
    const temp = join(this.dir, 'tmp', `${hostname()}~${process.pid}~${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headSize = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new BlobTooLargeError(maxBytes));
          return;
        }
        if (headSize < 4100) {
          headChunks.push(chunk.subarray(0, 4100 - headSize));
          headSize += Math.min(chunk.length, 4100 - headSize);
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temp));
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    let created = false;
    let storedAt: Date;
    if (existsSync(target)) {
      rmSync(temp, { force: true });
      // Touch it: the orphan sweep spares recent blobs, and this one is about to gain a row. The
      // time strictly increases, so an upload that failed can tell someone else put it since.
      storedAt = new Date(Math.max(Date.now(), Math.floor(statSync(target).mtimeMs) + 1));
      utimesSync(target, storedAt, storedAt);
    } else {
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      renameSync(temp, target);
      created = true;
      storedAt = new Date(Math.floor(statSync(target).mtimeMs));
    }
    return { sha256, size, head: new Uint8Array(Buffer.concat(headChunks)), created, storedAt };
  }
  get(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
  async has(sha256: string): Promise<boolean> {
    return existsSync(this.pathOf(sha256)) && statSync(this.pathOf(sha256)).isFile();
  }
  async remove(sha256: string, storedAt?: Date): Promise<boolean> {
    const path = this.pathOf(sha256);
    if (!existsSync(path)) return false;
    if (storedAt && Math.floor(statSync(path).mtimeMs) > storedAt.getTime()) return false;
    rmSync(path, { force: true });
    return true;
  }
  async *list(): AsyncIterable<{ sha256: string; storedAt: Date }> {
    for (const prefix of readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of readdirSync(join(this.dir, prefix))) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        yield { sha256: name, storedAt: new Date(Math.floor(statSync(join(this.dir, prefix, name)).mtimeMs)) };
      }
    }
  }
  async removeStaleTemp(olderThan: Date): Promise<number> {
    let removed = 0;
    const tempDir = join(this.dir, 'tmp');
    if (!existsSync(tempDir)) return 0;
    for (const name of readdirSync(tempDir)) {
      const path = join(tempDir, name);
      if (statSync(path).mtime < olderThan || isFromDeadProcess(name)) {
        rmSync(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
