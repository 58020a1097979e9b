import { isIP } from 'node:net';
import tls, { type PeerCertificate, type SecureVersion } from 'node:tls';
import { CheckInputError } from '../types.ts';
import type { LegacyProbe, NegotiatedConnection } from './evaluate-connection.ts';

/** The only part of the check that touches the network. */

export interface TlsTarget {
  host: string;
  port: number;
}

/** "host:port", "[::1]:443"; the port defaults to 443. */
export function parseTlsTarget(value: string): TlsTarget {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:\s/]+)(?::(\d+))?$/.exec(value);
  const match = bracketed ?? plain;
  if (!match) {
    throw new CheckInputError(`目標格式應為 host:port / target must be host:port: ${value}`, value);
  }
  const port = match[2] === undefined ? 443 : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CheckInputError(`連接埠無效 / invalid port: ${match[2]}`, value);
  }
  return { host: match[1], port };
}

export interface ProbeOptions {
  /** Name sent as SNI and checked against the certificate (defaults to the host). */
  servername?: string;
  timeoutMs: number;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
}

export interface ProbeResult {
  connection: NegotiatedConnection;
  /** DER certificates, end-entity first, as the server sent them. */
  chain: Uint8Array[];
}

function collectChain(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new Uint8Array(current.raw));
    current = current.issuerCertificate as typeof current;
  }
  return chain;
}

/**
 * One handshake with certificate checks off (the check judges the certificate itself). Weak
 * ciphers and old protocols are offered (SECLEVEL=0) so that what the server accepts is visible.
 */
export function connectTls(target: TlsTarget, options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const servername = options.servername ?? (isIP(target.host) ? undefined : target.host);
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      servername,
      rejectUnauthorized: false,
      minVersion: options.minVersion ?? 'TLSv1',
      maxVersion: options.maxVersion,
      ciphers: options.ciphers ?? 'ALL:@SECLEVEL=0',
    });
    const timer = setTimeout(() => {
      socket.destroy(new Error(`timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cipher = socket.getCipher();
      const result: ProbeResult = {
        connection: { protocol: socket.getProtocol() ?? 'unknown', cipher: cipher.name, standardName: cipher.standardName },
        chain: collectChain(socket.getPeerCertificate(true)),
      };
      socket.end();
      resolve(result);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/** Whether the server completes a handshake limited to TLS 1.0 / TLS 1.1. */
export async function probeLegacyProtocols(target: TlsTarget, options: ProbeOptions): Promise<LegacyProbe[]> {
  const probes: LegacyProbe[] = [];
  for (const protocol of ['TLSv1', 'TLSv1.1'] as const) {
    try {
      const result = await connectTls(target, { ...options, minVersion: protocol, maxVersion: protocol, ciphers: 'ALL:@SECLEVEL=0' });
      probes.push({ protocol, isAccepted: true, cipher: result.connection.cipher });
    } catch {
      probes.push({ protocol, isAccepted: false });
    }
  }
  return probes;
}

/** Offers only weak suites (as far as this OpenSSL still has them) up to TLS 1.2. */
export async function probeWeakCiphers(target: TlsTarget, options: ProbeOptions): Promise<NegotiatedConnection | undefined> {
  try {
    const result = await connectTls(target, {
      ...options,
      maxVersion: 'TLSv1.2',
      ciphers: 'RC4:3DES:DES:NULL:EXPORT:aNULL:eNULL:IDEA:SEED:@SECLEVEL=0',
    });
    return result.connection;
  } catch {
    return undefined;
  }
}
