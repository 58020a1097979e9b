/**
 * Test factories: certificates generated in-process with @peculiar/x509 and WebCrypto, and TLS
 * servers on 127.0.0.1. Used by tls.test.ts only.
 */
import './install-reflect-metadata.ts';
import { createPrivateKey, sign, webcrypto } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls, { type SecureVersion } from 'node:tls';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { readTlv } from './read-der.ts';

export { KeyUsageFlags };

const subtle = webcrypto.subtle as SubtleCrypto;
const DAY_MS = 86_400_000;

export async function generateRsaKeys(bits = 2048, hash = 'SHA-256'): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
}

export async function generateEcKeys(namedCurve = 'P-256'): Promise<CryptoKeyPair> {
  return (await subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** The same private key bound to another hash (to sign with SHA-1). */
export async function rebindHash(keys: CryptoKeyPair, hash: string): Promise<CryptoKey> {
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash }, true, ['sign']);
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

export interface Issuer {
  certificate: X509Certificate;
  keys: CryptoKeyPair;
}

export async function buildCa(name = 'CN=Anjian Test Root CA', keys?: CryptoKeyPair, at = new Date()): Promise<Issuer> {
  const caKeys = keys ?? (await generateRsaKeys());
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      name,
      keys: caKeys,
      notBefore: new Date(at.getTime() - 30 * DAY_MS),
      notAfter: new Date(at.getTime() + 3650 * DAY_MS),
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      ],
    },
    webcrypto as Crypto,
  );
  return { certificate, keys: caKeys };
}

/** A self-signed end-entity certificate for localhost (CA=false, with SAN). */
export async function buildSelfSigned(): Promise<{ certificate: X509Certificate; keys: CryptoKeyPair }> {
  const keys = await generateEcKeys();
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      name: 'CN=localhost',
      keys,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 365 * DAY_MS),
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]) as unknown as BasicConstraintsExtension,
      ],
    },
    webcrypto as Crypto,
  );
  return { certificate, keys };
}

export interface LeafOptions {
  subject?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
  isCa?: boolean;
  keys?: CryptoKeyPair;
  /** SPKI DER of a key WebCrypto cannot generate (DSA, P-192). */
  publicKeySpki?: Uint8Array;
  /** Sign with this key instead of the issuer's (e.g. a SHA-1 bound copy). */
  signingKey?: CryptoKey;
}

export async function buildLeaf(issuer: Issuer, options: LeafOptions = {}): Promise<{ certificate: X509Certificate; keys: CryptoKeyPair }> {
  const keys = options.keys ?? (await generateEcKeys());
  const names = [
    ...(options.dnsNames ?? ['localhost']).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions = [
    new BasicConstraintsExtension(options.isCa ?? false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
  ];
  if (names.length > 0) {
    extensions.push(new SubjectAlternativeNameExtension(names) as unknown as BasicConstraintsExtension);
  }
  const now = Date.now();
  const certificate = await X509CertificateGenerator.create(
    {
      subject: options.subject ?? 'CN=localhost',
      issuer: issuer.certificate.subject,
      publicKey: options.publicKeySpki ? new Uint8Array(options.publicKeySpki) : keys.publicKey,
      signingKey: options.signingKey ?? issuer.keys.privateKey,
      notBefore: options.notBefore ?? new Date(now - DAY_MS),
      notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
      extensions,
    },
    webcrypto as Crypto,
  );
  return { certificate, keys };
}

export interface IntermediateOptions {
  subject?: string;
  /** basicConstraints CA flag; `null` leaves basicConstraints out (default true). */
  isCa?: boolean | null;
  /** KeyUsageFlags; `null` leaves keyUsage out (default keyCertSign | cRLSign). */
  keyUsage?: number | null;
  pathLength?: number;
}

/** An intermediate CA signed by `issuer`, with the constraints given (by default a proper CA). */
export async function buildIntermediate(issuer: Issuer, options: IntermediateOptions = {}): Promise<Issuer> {
  const keys = await generateRsaKeys();
  const extensions: BasicConstraintsExtension[] = [];
  if (options.isCa !== null) {
    extensions.push(new BasicConstraintsExtension(options.isCa ?? true, options.pathLength, true));
  }
  const keyUsage = options.keyUsage === undefined ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : options.keyUsage;
  if (keyUsage !== null) {
    extensions.push(new KeyUsagesExtension(keyUsage, true) as unknown as BasicConstraintsExtension);
  }
  const now = Date.now();
  const certificate = await X509CertificateGenerator.create(
    {
      subject: options.subject ?? 'CN=Anjian Issuing CA',
      issuer: issuer.certificate.subject,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 1825 * DAY_MS),
      extensions,
    },
    webcrypto as Crypto,
  );
  return { certificate, keys };
}

function encodeLength(length: number): number[] {
  if (length < 0x80) {
    return [length];
  }
  const bytes: number[] = [];
  for (let value = length; value > 0; value = Math.floor(value / 256)) {
    bytes.unshift(value % 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

/** Re-signs a certificate's TBS without its version field: an X.509 v1 certificate. */
export async function convertToVersion1(certificate: X509Certificate, signingKey: CryptoKey): Promise<Uint8Array> {
  const der = new Uint8Array(certificate.rawData);
  const outer = readTlv(der, 0)!;
  const tbs = readTlv(der, outer.start)!;
  const version = readTlv(der, tbs.start)!;
  const algorithm = readTlv(der, tbs.end)!;
  // Everything in the TBS after [0] version, except the [3] extensions at its end.
  let end = tbs.end;
  for (let offset = version.end; offset < tbs.end; ) {
    const field = readTlv(der, offset)!;
    if (field.tag === 0xa3) {
      end = offset;
      break;
    }
    offset = field.end;
  }
  const body = der.subarray(version.end, end);
  const newTbs = new Uint8Array([0x30, ...encodeLength(body.length), ...body]);
  const signature = new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', signingKey, newTbs));
  const bitString = [0x03, ...encodeLength(signature.length + 1), 0x00, ...signature];
  const algorithmBytes = der.subarray(tbs.end, algorithm.end);
  const content = [...newTbs, ...algorithmBytes, ...bitString];
  return new Uint8Array([0x30, ...encodeLength(content.length), ...content]);
}

const SHA256_WITH_RSA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];

/**
 * Re-signs an RSA/SHA-256 certificate with MD5 (WebCrypto cannot): the sha256WithRSAEncryption OID
 * is the same length as md5WithRSAEncryption, so only its last byte changes, in the TBS and outside.
 */
export async function resignWithMd5(certificate: X509Certificate, issuerKey: CryptoKey): Promise<Uint8Array> {
  const der = new Uint8Array(certificate.rawData);
  for (let index = 0; index + SHA256_WITH_RSA.length <= der.length; index += 1) {
    if (SHA256_WITH_RSA.every((byte, offset) => der[index + offset] === byte)) {
      der[index + SHA256_WITH_RSA.length - 1] = 0x04;
    }
  }
  const outer = readTlv(der, 0)!;
  const tbsHeaderStart = outer.start;
  const tbs = readTlv(der, tbsHeaderStart)!;
  const algorithm = readTlv(der, tbs.end)!;
  const tbsBytes = der.subarray(tbsHeaderStart, tbs.end);
  const privateKey = createPrivateKey({ key: Buffer.from(await subtle.exportKey('pkcs8', issuerKey)), format: 'der', type: 'pkcs8' });
  const signature = new Uint8Array(sign('md5', tbsBytes, privateKey));
  const bitString = [0x03, ...encodeLength(signature.length + 1), 0x00, ...signature];
  const content = [...tbsBytes, ...der.subarray(tbs.end, algorithm.end), ...bitString];
  return new Uint8Array([0x30, ...encodeLength(content.length), ...content]);
}

export function toPem(der: Uint8Array | ArrayBuffer): string {
  const base64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export interface TestServer {
  target: string;
  close(): Promise<void>;
}

export async function startTlsServer(options: {
  chain: X509Certificate[];
  privateKey: CryptoKey;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
}): Promise<TestServer> {
  const server = tls.createServer(
    {
      cert: options.chain.map((certificate) => toPem(certificate.rawData)).join(''),
      key: await exportPrivateKeyPem(options.privateKey),
      minVersion: options.minVersion ?? 'TLSv1.2',
      maxVersion: options.maxVersion,
      ciphers: options.ciphers ?? 'DEFAULT@SECLEVEL=0',
    },
    (socket) => socket.end(),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
