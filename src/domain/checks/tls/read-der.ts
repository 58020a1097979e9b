/**
 * The few DER facts @peculiar/x509 does not expose directly and that must be read even when the
 * certificate uses an algorithm WebCrypto refuses (MD5, DSA): the X.509 version and the signature
 * algorithm OID. A minimal TLV reader; anything unexpected returns undefined.
 */

export interface Tlv {
  tag: number;
  /** Offset of the value. */
  start: number;
  /** Offset after the value. */
  end: number;
}

export function readTlv(bytes: Uint8Array, offset: number): Tlv | undefined {
  if (offset + 2 > bytes.length) {
    return undefined;
  }
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) {
      return undefined;
    }
    length = 0;
    for (let index = 0; index < count; index += 1) {
      length = length * 256 + bytes[start + index];
    }
    start += count;
  }
  const end = start + length;
  return end > bytes.length ? undefined : { tag, start, end };
}

function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const [first, ...rest] = parts;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
function readCertificateParts(der: Uint8Array): { tbs: Tlv; algorithm: Tlv } | undefined {
  const certificate = readTlv(der, 0);
  if (!certificate || certificate.tag !== 0x30) {
    return undefined;
  }
  const tbs = readTlv(der, certificate.start);
  if (!tbs || tbs.tag !== 0x30) {
    return undefined;
  }
  const algorithm = readTlv(der, tbs.end);
  return algorithm && algorithm.tag === 0x30 ? { tbs, algorithm } : undefined;
}

/** 1, 2 or 3; undefined when the DER cannot be read. */
export function readCertificateVersion(der: Uint8Array): number | undefined {
  const parts = readCertificateParts(der);
  if (!parts) {
    return undefined;
  }
  const first = readTlv(der, parts.tbs.start);
  if (!first) {
    return undefined;
  }
  if (first.tag !== 0xa0) {
    return 1;
  }
  const version = readTlv(der, first.start);
  return version && version.tag === 0x02 && version.end - version.start === 1 ? der[version.start] + 1 : undefined;
}

export function readSignatureAlgorithmOid(der: Uint8Array): string | undefined {
  const parts = readCertificateParts(der);
  const oid = parts ? readTlv(der, parts.algorithm.start) : undefined;
  return oid && oid.tag === 0x06 ? decodeOid(der.subarray(oid.start, oid.end)) : undefined;
}

/** Signature algorithm OIDs by name and hash strength. */
export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string; isWeak: boolean }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2', isWeak: true },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'MD4', isWeak: true },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5', isWeak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1', isWeak: true },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'SHA-1', isWeak: true },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1', isWeak: true },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'SHA-1', isWeak: true },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224', isWeak: false },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256', isWeak: false },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384', isWeak: false },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512', isWeak: false },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'see parameters', isWeak: false },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256', isWeak: false },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384', isWeak: false },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512', isWeak: false },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'SHA-256', isWeak: false },
  '1.3.101.112': { name: 'Ed25519', hash: 'none', isWeak: false },
  '1.3.101.113': { name: 'Ed448', hash: 'none', isWeak: false },
};
