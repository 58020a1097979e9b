/**
 * Technical-check benchmarks that need more than a function call: the AD export streamed in a child
 * process (so its peak RSS is the check's own, not the runner's), and the TLS check against a TLS
 * server on 127.0.0.1 with a certificate generated in-process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCa, buildLeaf, startTlsServer, toPem } from '../src/domain/checks/tls/build-test-certificates.ts';
import { tlsCheck } from '../src/domain/checks/tls/index.ts';
import { percentile } from './catalog-bench.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface AccountsChildResult {
  rows: number;
  seconds: number;
  /** Peak RSS sampled every 50 ms by the accounts bench itself. */
  peakRssMb: number;
  /** Peak RSS of the child process over its whole life (getrusage). */
  maxRssMb: number;
  /** RSS of the child once Node and tsx were loaded, before the check ran. */
  baselineRssMb: number;
  findings: number;
  /** CPU time of the child process (user + system), start-up included: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  /** Wall time of the child process, start-up included. */
  processSeconds: number;
}

/** Runs the accounts bench in `node --import tsx bench/accounts-child.ts <rows>` and reads its JSON line. */
export function runAccountsInChild(rows: number): Promise<AccountsChildResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/accounts-child.ts', String(rows)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`accounts child exited with ${code}: ${stderr.trim().slice(-500) || stdout.slice(-500)}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as Omit<AccountsChildResult, 'processSeconds'>), processSeconds: (performance.now() - started) / 1000 });
    });
  });
}

export interface TlsBenchResult {
  rounds: number;
  /** Full check: handshake, TLS 1.0/1.1 and weak-cipher probes, chain evaluation. */
  withProbes: { p50Ms: number; p95Ms: number; maxMs: number };
  /** Handshake and chain evaluation only (probe: false). */
  handshakeOnly: { p50Ms: number; p95Ms: number; maxMs: number };
  status: string;
  findings: number;
}

async function timeRuns(rounds: number, run: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number; maxMs: number }> {
  await run(); // warm-up
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await run();
    latencies.push(performance.now() - started);
  }
  return { p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), maxMs: Math.max(...latencies) };
}

/** Starts a TLS 1.2+ server on 127.0.0.1 (CA-issued EC certificate for localhost) and times the check against it. */
export async function runTlsBench(rounds: number): Promise<TlsBenchResult> {
  const ca = await buildCa();
  const leaf = await buildLeaf(ca, { dnsNames: ['localhost'] });
  const server = await startTlsServer({ chain: [leaf.certificate], privateKey: leaf.keys.privateKey, ciphers: 'DEFAULT' });
  try {
    const options = { caBundle: toPem(ca.certificate.rawData), hostname: 'localhost', timeoutMs: 5000 };
    const first = await tlsCheck.run([{ name: server.target }], options);
    if (first.status === 'error') throw new Error(`TLS check could not reach ${server.target}: ${first.summaryEn}`);
    const withProbes = await timeRuns(rounds, () => tlsCheck.run([{ name: server.target }], options));
    const handshakeOnly = await timeRuns(rounds, () => tlsCheck.run([{ name: server.target }], { ...options, probe: false }));
    return { rounds, withProbes, handshakeOnly, status: first.status, findings: first.findings.length };
  } finally {
    await server.close();
  }
}
