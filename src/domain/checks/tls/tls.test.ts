import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckInputError, type CheckResult } from '../types.ts';
import {
  buildCa,
  buildIntermediate,
  buildLeaf,
  KeyUsageFlags,
  buildSelfSigned,
  convertToVersion1,
  generateRsaKeys,
  rebindHash,
  resignWithMd5,
  startTlsServer,
  toPem,
  type Issuer,
  type TestServer,
} from './build-test-certificates.ts';
import { classifyCipher } from './evaluate-connection.ts';
import { matchesHostname, parseTlsTarget, readPemBundle, tlsCheck } from './index.ts';

const DAY_MS = 86_400_000;
let ca: Issuer;
let caPem: string;
const servers: TestServer[] = [];

beforeAll(async () => {
  ca = await buildCa();
  caPem = toPem(ca.certificate.rawData);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

function rules(result: CheckResult): string[] {
  return result.findings.map((finding) => finding.rule).sort();
}

async function serve(leaf: Awaited<ReturnType<typeof buildLeaf>>, extra: Partial<Parameters<typeof startTlsServer>[0]> = {}) {
  const server = await startTlsServer({ chain: [leaf.certificate], privateKey: leaf.keys.privateKey, ...extra });
  servers.push(server);
  return server;
}

async function checkServer(server: TestServer, options: Record<string, unknown> = {}) {
  return tlsCheck.run([{ name: server.target }], { caBundle: caPem, hostname: 'localhost', timeoutMs: 5000, ...options });
}

describe('tls check against live servers on 127.0.0.1', () => {
  it('passes a valid certificate from the supplied CA on TLS 1.2+', async () => {
    const server = await serve(await buildLeaf(ca));
    const result = await checkServer(server);
    expect(rules(result)).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.stats.protocol).toBe('TLSv1.3');
    expect(result.stats['accepts TLSv1']).toBe('no');
    expect(result.stats.trusted).toBe('yes');
  });

  it('does not trust the test CA from the system store', async () => {
    const server = await serve(await buildLeaf(ca));
    const result = await tlsCheck.run([{ name: server.target }], { hostname: 'localhost', timeoutMs: 5000 });
    expect(rules(result)).toEqual(['tls.untrusted-chain']);
  });

  it.each([
    ['expired', { notBefore: new Date(Date.now() - 400 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) }, ['tls.expired']],
    ['wrong host', { dnsNames: ['www.example.com'] }, ['tls.hostname-mismatch']],
    ['no SAN (CN only)', { dnsNames: [] }, ['tls.no-san']],
    ['CA=true leaf', { isCa: true }, ['tls.leaf-is-ca']],
  ])('%s', async (_label, options, expected) => {
    const server = await serve(await buildLeaf(ca, options));
    expect(rules(await checkServer(server))).toEqual(expected);
  });

  it('fails a self-signed certificate', async () => {
    const server = await serve(await buildSelfSigned());
    const result = await checkServer(server);
    expect(rules(result)).toEqual(['tls.self-signed']);
  });

  it('fails a 1024-bit RSA key', async () => {
    const server = await serve(await buildLeaf(ca, { keys: await generateRsaKeys(1024) }));
    const result = await checkServer(server);
    expect(rules(result)).toEqual(['tls.weak-key']);
    expect(result.findings[0].detail).toMatchObject({ keyType: 'rsa', bits: 1024 });
  });

  it('fails a SHA-1 signature', async () => {
    const server = await serve(await buildLeaf(ca, { signingKey: await rebindHash(ca.keys, 'SHA-1') }));
    const result = await checkServer(server);
    expect(rules(result)).toEqual(['tls.weak-signature']);
  });

  it('fails a TLS 1.0-only server', async () => {
    const server = await serve(await buildLeaf(ca), { minVersion: 'TLSv1', maxVersion: 'TLSv1' });
    const result = await checkServer(server);
    expect(result.stats.protocol).toBe('TLSv1');
    expect(rules(result)).toContain('tls.old-protocol');
    // ECDHE-…-AES-CBC-SHA is the best TLS 1.0 offers: CBC with SHA-1 below TLS 1.2.
    expect(rules(result)).toContain('tls.weak-cipher');
    expect(result.stats['accepts TLSv1.1']).toBe('no');
  });

  it('warns when a modern server still accepts TLS 1.0 and 1.1', async () => {
    const server = await serve(await buildLeaf(ca), { minVersion: 'TLSv1' });
    const result = await checkServer(server);
    expect(result.stats.protocol).toBe('TLSv1.3');
    expect(rules(result)).toEqual(['tls.legacy-protocol-accepted']);
    expect(result.findings[0].detail).toEqual({ protocols: ['TLSv1', 'TLSv1.1'] });
    expect(result.status).toBe('warning');
  });

  it('fails a server that accepts anonymous or other weak suites when offered', async () => {
    const server = await serve(await buildLeaf(ca, { keys: await generateRsaKeys() }), { ciphers: 'ALL:@SECLEVEL=0' });
    const result = await checkServer(server);
    expect(result.stats.protocol).toBe('TLSv1.3');
    expect(rules(result)).toEqual(['tls.weak-cipher-accepted']);
  });

  it('reports an unreachable target as an error within the timeout', async () => {
    const server = await serve(await buildLeaf(ca));
    const target = server.target;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const started = Date.now();
    const result = await tlsCheck.run([{ name: target }], { timeoutMs: 1000 });
    expect(result.status).toBe('error');
    expect(rules(result)).toEqual(['tls.unreachable']);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('tls check on PEM files (offline)', () => {
  it.each([
    ['2025-06-01', 'pass', []],
    ['2025-12-15', 'warning', ['tls.expiring-soon']],
    ['2026-01-02', 'fail', ['tls.expired']],
    ['2024-12-31', 'fail', ['tls.not-yet-valid']],
  ])('at %s → %s', async (at, status, expected) => {
    const datedCa = await buildCa('CN=Anjian Dated Root', ca.keys, new Date('2024-12-01T00:00:00Z'));
    const leaf = await buildLeaf(datedCa, { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const result = await tlsCheck.run([{ name: 'site.pem', text: toPem(leaf.certificate.rawData) }], {
      at,
      caBundle: toPem(datedCa.certificate.rawData),
    });
    expect(result.status).toBe(status);
    expect(rules(result)).toEqual(expected);
  });

  it('takes the warning window from warningDays', async () => {
    const datedCa = await buildCa('CN=Anjian Dated Root', ca.keys, new Date('2024-12-01T00:00:00Z'));
    const leaf = await buildLeaf(datedCa, { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const input = [{ name: 'site.pem', text: toPem(leaf.certificate.rawData) }];
    const caBundle = toPem(datedCa.certificate.rawData);
    expect(rules(await tlsCheck.run(input, { at: '2025-11-01', caBundle }))).toEqual([]);
    expect(rules(await tlsCheck.run(input, { at: '2025-11-01', caBundle, warningDays: '90' }))).toEqual(['tls.expiring-soon']);
  });

  it('builds the chain through an intermediate in the bundle', async () => {
    const intermediate = await buildIntermediate(ca, { subject: 'CN=Anjian Issuing CA' });
    const leaf = await buildLeaf(intermediate, { dnsNames: ['*.example.com.tw'] });
    const bundle = toPem(leaf.certificate.rawData) + 'subject=CN=Anjian Issuing CA\n' + toPem(intermediate.certificate.rawData);
    const good = await tlsCheck.run([{ name: 'bundle.pem', text: bundle }], { caBundle: caPem, hostname: 'www.example.com.tw' });
    expect(rules(good)).toEqual([]);
    expect(good.stats.chainLength).toBe(2);
    const missing = await tlsCheck.run([{ name: 'leaf.pem', text: toPem(leaf.certificate.rawData) }], { caBundle: caPem, hostname: 'a.b.example.com.tw' });
    expect(rules(missing)).toEqual(['tls.hostname-mismatch', 'tls.untrusted-chain']);
  });

  it.each([
    ['is not a CA (CA=false)', { isCa: false }, ['tls.intermediate-not-ca']],
    ['has no basicConstraints', { isCa: null }, ['tls.intermediate-not-ca']],
    ['lacks keyCertSign in keyUsage', { keyUsage: KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment }, ['tls.intermediate-no-keycertsign']],
    ['is a CA without keyUsage (accepted)', { keyUsage: null }, []],
  ] as const)('judges a chain whose intermediate %s', async (_label, options, expected) => {
    const intermediate = await buildIntermediate(ca, { subject: 'CN=Anjian Bad Issuing CA', ...options });
    const leaf = await buildLeaf(intermediate, { dnsNames: ['www.example.com.tw'] });
    const bundle = toPem(leaf.certificate.rawData) + toPem(intermediate.certificate.rawData);
    const result = await tlsCheck.run([{ name: 'bundle.pem', text: bundle }], { caBundle: caPem, hostname: 'www.example.com.tw' });
    expect(rules(result)).toEqual(expected);
    for (const finding of result.findings) {
      expect(finding.location).toEqual({ file: 'bundle.pem', subject: 'CN=Anjian Bad Issuing CA' });
    }
  });

  it('fails a chain longer than an intermediate\'s pathLenConstraint allows', async () => {
    const upper = await buildIntermediate(ca, { subject: 'CN=Anjian Policy CA', pathLength: 0 });
    const lower = await buildIntermediate(upper, { subject: 'CN=Anjian Issuing CA 2' });
    const leaf = await buildLeaf(lower, { dnsNames: ['www.example.com.tw'] });
    const bundle = [leaf, lower, upper].map((entry) => toPem(entry.certificate.rawData)).join('');
    const result = await tlsCheck.run([{ name: 'long.pem', text: bundle }], { caBundle: caPem, hostname: 'www.example.com.tw' });
    expect(rules(result)).toEqual(['tls.path-length-exceeded']);
    expect(result.findings[0].location.subject).toBe('CN=Anjian Policy CA');
    expect(result.findings[0].detail).toEqual({ pathLength: 0, intermediatesBelow: 1 });
    // pathLen 1 allows the same chain.
    const roomier = await buildIntermediate(ca, { subject: 'CN=Anjian Policy CA', pathLength: 1 });
    const lower2 = await buildIntermediate(roomier, { subject: 'CN=Anjian Issuing CA 2' });
    const leaf2 = await buildLeaf(lower2, { dnsNames: ['www.example.com.tw'] });
    const good = [leaf2, lower2, roomier].map((entry) => toPem(entry.certificate.rawData)).join('');
    expect(rules(await tlsCheck.run([{ name: 'long.pem', text: good }], { caBundle: caPem, hostname: 'www.example.com.tw' }))).toEqual([]);
  });

  it('fails an X.509 v1 end-entity certificate', async () => {
    const leaf = await buildLeaf(ca);
    const version1 = await convertToVersion1(leaf.certificate, ca.keys.privateKey);
    const result = await tlsCheck.run([{ name: 'v1.pem', text: toPem(version1) }], { caBundle: caPem });
    // No extensions in v1: no SAN either.
    expect(rules(result)).toEqual(['tls.no-san', 'tls.x509-v1']);
  });

  it('fails an MD5 signature (which WebCrypto cannot even verify)', async () => {
    const leaf = await buildLeaf(ca, { keys: await generateRsaKeys() });
    const md5 = await resignWithMd5(leaf.certificate, ca.keys.privateKey);
    const result = await tlsCheck.run([{ name: 'md5.pem', text: toPem(md5) }], { caBundle: caPem });
    expect(rules(result)).toEqual(['tls.untrusted-chain', 'tls.weak-signature']);
    expect(result.findings.find((finding) => finding.rule === 'tls.weak-signature')?.detail).toMatchObject({ signatureAlgorithm: 'md5WithRSAEncryption' });
  });

  it.each([
    ['EC P-192', () => generateKeyPairSync('ec', { namedCurve: 'prime192v1' }).publicKey],
    ['DSA', () => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey],
  ])('fails a %s key', async (_label, makeKey) => {
    const spki = new Uint8Array(makeKey().export({ format: 'der', type: 'spki' }));
    const leaf = await buildLeaf(ca, { publicKeySpki: spki });
    const result = await tlsCheck.run([{ name: 'weak.pem', text: toPem(leaf.certificate.rawData) }], { caBundle: caPem });
    expect(rules(result)).toEqual(['tls.weak-key']);
  });
});

describe('matchesHostname (SAN only, RFC 6125 wildcards)', () => {
  it.each([
    ['www.example.com', ['www.example.com'], [], true],
    ['WWW.Example.com', ['www.example.com'], [], true],
    ['www.example.com', ['*.example.com'], [], true],
    ['a.b.example.com', ['*.example.com'], [], false],
    ['example.com', ['*.example.com'], [], false],
    ['evil.com', ['*.com'], [], false],
    ['127.0.0.1', ['127.0.0.1'], [], false],
    ['127.0.0.1', [], ['127.0.0.1'], true],
    ['www.example.com', [], [], false],
  ])('%s vs %j %j → %s', (host, dns, ips, expected) => {
    expect(matchesHostname(host, dns, ips)).toBe(expected);
  });
});

describe('classifyCipher', () => {
  it.each([
    ['TLSv1.3', 'TLS_AES_256_GCM_SHA384', undefined, false],
    ['TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', undefined, false],
    ['TLSv1.2', 'ECDHE-RSA-AES256-SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', false],
    ['TLSv1', 'ECDHE-RSA-AES256-SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', true],
    ['TLSv1.2', 'RC4-SHA', undefined, true],
    ['TLSv1.2', 'DES-CBC3-SHA', undefined, true],
    ['TLSv1.2', 'NULL-SHA256', undefined, true],
    ['TLSv1.2', 'EXP-RC2-CBC-MD5', undefined, true],
    ['TLSv1.2', 'ADH-AES128-GCM-SHA256', undefined, true],
    ['TLSv1.2', 'AECDH-AES128-SHA', undefined, true],
  ])('%s %s → weak %s', (protocol, cipher, standardName, isWeak) => {
    expect(classifyCipher({ protocol, cipher, standardName }).isWeak).toBe(isWeak);
  });
});

describe('input errors', () => {
  it.each([
    ['no block', 'hello\n', 1],
    ['unclosed', 'x\n-----BEGIN CERTIFICATE-----\nMIIB\n', 2],
    ['not base64', '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n', 1],
    ['not a certificate', '\n\n-----BEGIN CERTIFICATE-----\nSGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n', 3],
  ])('%s', (_label, text, line) => {
    expect(() => readPemBundle('bad.pem', text)).toThrow(expect.objectContaining({ name: 'CheckInputError', line }));
  });

  it.each([
    ['example.com:443', { host: 'example.com', port: 443 }],
    ['example.com', { host: 'example.com', port: 443 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
  ])('target %s', (value, expected) => {
    expect(parseTlsTarget(value)).toEqual(expected);
  });

  it.each(['example.com:0', 'example.com:99999', 'http://example.com', ''])('bad target %j', (value) => {
    expect(() => parseTlsTarget(value)).toThrow(CheckInputError);
  });

  it.each([
    ['garbage.der', new Uint8Array([0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef])],
    ['empty.der', new Uint8Array([])],
    ['random.cer', new Uint8Array([0x00, 0xff, 0x13, 0x37, 0x42])],
  ])('a damaged DER file %s is an input error naming the file', async (name, bytes) => {
    const run = tlsCheck.run([{ name, bytes }], { at: '2025-01-01' });
    await expect(run).rejects.toBeInstanceOf(CheckInputError);
    await expect(run).rejects.toMatchObject({ file: name, message: expect.stringContaining(`${name}: `) });
  });

  it('PEM reader and target parser throw only CheckInputError on random input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', 'MIIBkTCB+wIJAK', '====')), { maxLength: 12 }),
        (lines) => {
          const text = lines.join('\n');
          for (const parse of [() => readPemBundle('x.pem', text), () => parseTlsTarget(text)]) {
            try {
              parse();
            } catch (error) {
              expect(error).toBeInstanceOf(CheckInputError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
