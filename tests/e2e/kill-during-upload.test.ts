/**
 * Reliability: a server killed (SIGKILL) in the middle of an evidence upload leaves no half-written
 * rows and, once restarted, no orphan files. Real processes, a real data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'anjian-kill-'));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | null = null;

function startServer(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ANJIAN_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) {
        // Give the printed logins a moment to arrive.
        setTimeout(() => { clearTimeout(timer); resolve(output); }, 200);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a server killed mid-upload', () => {
  it('leaves no evidence rows and no orphan files after restart', async () => {
    const printed = await startServer();
    const match = /demo assessor: email: (\S+) password: (\S+)/.exec(printed);
    expect(match).not.toBeNull();
    const [, email, initialPassword] = match!;

    // First login: change the one-time password, then we have a working session.
    let response = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: initialPassword }) });
    expect(response.status).toBe(200);
    let cookie = cookiesOf(response);
    let csrf = (await response.json()).csrfToken as string;
    response = await fetch(`${base}/api/v1/auth/password`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ currentPassword: initialPassword, newPassword: 'Kill-Test-Password-77' }),
    });
    expect(response.status).toBe(200);
    cookie = cookiesOf(response);
    csrf = (await response.json()).csrfToken as string;
    const me = await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json();
    const firmId = me.firms[0].id as string;

    // Stream a 20 MB CSV slowly and kill the server half-way.
    const boundary = '----anjian-kill-test';
    const metadata = JSON.stringify({ title: '中斷上傳測試', itemIds: ['CSIM:8.4.c'], collectedOn: '2024-06-30' });
    const upload = request(`${base}/api/v1/firms/${firmId}/evidence`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie, 'x-csrf-token': csrf },
    });
    upload.on('error', () => undefined);
    upload.write(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${metadata}\r\n`);
    upload.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="firewall-log.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const line = 'time,source,destination,port,action\r\n'.padEnd(64, ' ') ;
    const chunk = line.repeat(16_384); // 1 MiB
    for (let sent = 0; sent < 8; sent += 1) {
      upload.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const tempDir = join(dataDir, 'blobs', 'tmp');
    for (let wait = 0; wait < 50 && readdirSync(tempDir).length === 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(tempDir).length).toBe(1); // the upload is really in flight
    server!.kill('SIGKILL');
    await new Promise((resolve) => server!.once('exit', resolve));
    upload.destroy();

    // Restart on the same data directory (the dead process's lock is taken over).
    await startServer();
    for (let wait = 0; wait < 100 && readdirSync(tempDir).length > 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(tempDir)).toEqual([]);
    const blobDirs = readdirSync(join(dataDir, 'blobs')).filter((name) => name !== 'tmp');
    expect(blobDirs.flatMap((name) => readdirSync(join(dataDir, 'blobs', name)))).toEqual([]);

    response = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Kill-Test-Password-77' }) });
    cookie = cookiesOf(response);
    const evidence = await (await fetch(`${base}/api/v1/firms/${firmId}/evidence`, { headers: { cookie } })).json();
    expect(JSON.stringify(evidence)).not.toContain('中斷上傳測試');
    expect(existsSync(join(dataDir, '.anjian.lock'))).toBe(true);
  });
});
