/** The embedded database's data directory is locked so two processes never open it at once. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirectoryLockedError, openDatabase } from '../../src/server/db/client.ts';
import { TEST_DB } from '../support/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'anjian-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(TEST_DB !== 'pglite')('PGlite data directory lock', () => {
  it('refuses a second opener, naming the holder, and frees the directory on close', async () => {
    const first = await openDatabase({ dataDir: dir });
    // Pretend the holder is another live process (this one's parent), as a second `npm start` would see it.
    writeFileSync(join(dir, '.anjian.lock'), String(process.ppid));
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirectoryLockedError);
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    writeFileSync(join(dir, '.anjian.lock'), String(process.pid));
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('takes over the lock of a process that died', async () => {
    writeFileSync(join(dir, '.anjian.lock'), '999999999');
    const db = await openDatabase({ dataDir: dir });
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await db.close();
  });
});
