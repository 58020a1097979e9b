import './install-reflect-metadata.ts';
import { createPublicKey, X509Certificate as NodeCertificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509ChainBuilder,
} from '@peculiar/x509';
import type { Finding, FindingSeverity } from '../types.ts';
import { readCertificateVersion, readSignatureAlgorithmOid, SIGNATURE_ALGORITHMS } from './read-der.ts';

export const CERTIFICATE_ITEMS = ['NET:5.1.1', 'CSIM:7.1.c', 'CSIM:8.6.c'];
const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;
const STRONG_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1']);

export interface ChainEvaluationInput {
  /** DER certificates as presented: the end-entity first. */
  chain: Uint8Array[];
  at: Date;
  /** Name the client asked for; undefined skips the name check (offline PEM without --hostname). */
  hostname?: string;
  /** Trust anchors (the system store or a supplied CA bundle). */
  trustAnchors: X509Certificate[];
  /** Where findings point: the PEM file, or host:port. */
  file: string;
  /** Days before expiry that give a warning (default 30). */
  warningDays?: number;
}

export interface ChainEvaluation {
  findings: Finding[];
  subject: string;
  notAfter: string;
  daysToExpiry: number;
  isTrusted: boolean;
  chainSubjects: string[];
}

/** RFC 6125 name matching on SAN only: a wildcard stands for exactly one left-most label. */
export function matchesHostname(hostname: string, dnsNames: string[], ipAddresses: string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (isIP(host)) {
    return ipAddresses.some((address) => address.toLowerCase() === host);
  }
  return dnsNames.some((rawName) => {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    if (!name.startsWith('*.')) {
      return name === host;
    }
    const suffix = name.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && label.length > 0 && !label.includes('.') && suffix.split('.').length > 2;
  });
}

function describeKey(der: Uint8Array): { type: string; bits?: number; curve?: string; isWeak: boolean; reason?: string } {
  const key = new NodeCertificate(der).publicKey;
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss': {
      const bits = details.modulusLength ?? 0;
      return { type, bits, isWeak: bits < 2048, reason: bits < 2048 ? `RSA ${bits} 位元 < 2048` : undefined };
    }
    case 'dsa':
      return { type, bits: details.modulusLength, isWeak: true, reason: 'DSA' };
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      return { type, curve, isWeak: !STRONG_CURVES.has(curve), reason: STRONG_CURVES.has(curve) ? undefined : `EC ${curve}` };
    }
    case 'ed25519':
    case 'ed448':
      return { type, isWeak: false };
    default:
      return { type, isWeak: true, reason: `unsupported key type ${type}` };
  }
}

function isSameCertificate(left: X509Certificate, right: X509Certificate): boolean {
  const a = new Uint8Array(left.rawData);
  const b = new Uint8Array(right.rawData);
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

async function isSelfSigned(certificate: X509Certificate): Promise<boolean> {
  if (certificate.subject !== certificate.issuer) {
    return false;
  }
  try {
    return await certificate.isSelfSigned();
  } catch {
    // A signature WebCrypto cannot check (MD5, DSA): same subject and issuer is the best we can say.
    return true;
  }
}

/**
 * Judges a certificate chain: validity at `at` (warning under 30 days), SAN name match (no CN
 * fallback; no SAN fails), key type and size, signature hash, X.509 version and basicConstraints of
 * the end-entity, a path to a trust anchor, and that every CA on that path may issue what is below it
 * (basicConstraints CA=true, keyUsage keyCertSign, pathLenConstraint).
 */
export async function evaluateCertificateChain(input: ChainEvaluationInput): Promise<ChainEvaluation> {
  const findings: Finding[] = [];
  const certificates = input.chain.map((der) => new X509Certificate(new Uint8Array(der)));
  const leaf = certificates[0];
  const leafSubject = leaf.subject || '(empty subject)';
  const push = (
    rule: string,
    severity: FindingSeverity,
    status: Finding['status'],
    subject: string,
    message: string,
    messageEn: string,
    detail?: Record<string, unknown>,
  ) => findings.push({ rule, severity, status, message, messageEn, location: { file: input.file, subject }, items: CERTIFICATE_ITEMS, detail });

  // Trust: build the chain through the presented intermediates to an anchor.
  const builder = new X509ChainBuilder({ certificates: [...certificates.slice(1), ...input.trustAnchors] });
  let built: X509Certificate[] = [leaf];
  try {
    built = [...(await builder.build(leaf))];
  } catch {
    built = [leaf];
  }
  const top = built[built.length - 1];
  const isAnchored = input.trustAnchors.some((anchor) => isSameCertificate(anchor, top));
  const isLeafSelfSigned = await isSelfSigned(leaf);
  const isTrusted = isAnchored && (await isSelfSigned(top));
  if (!isTrusted) {
    if (isLeafSelfSigned && built.length === 1) {
      push('tls.self-signed', 'high', 'fail', leafSubject, `憑證 ${leafSubject} 為自簽憑證，不受信任。`, `Certificate ${leafSubject} is self-signed and not trusted.`);
    } else {
      push(
        'tls.untrusted-chain',
        'high',
        'fail',
        leafSubject,
        `憑證 ${leafSubject} 無法建立至受信任根憑證的憑證鏈（止於 ${top.issuer}）。`,
        `Certificate ${leafSubject} does not chain to a trusted root (stops at issuer ${top.issuer}).`,
        { chain: built.map((certificate) => certificate.subject) },
      );
    }
  }

  // Per-certificate checks over what the server presented (and the built path), skipping trust anchors.
  const seen = new Set<string>();
  const toCheck = [...certificates, ...built].filter((certificate) => {
    const key = certificate.toString('base64');
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  for (const certificate of toCheck) {
    const isAnchor = input.trustAnchors.some((anchor) => isSameCertificate(anchor, certificate));
    const isLeaf = certificate === leaf;
    const subject = certificate.subject || '(empty subject)';
    const der = new Uint8Array(certificate.rawData);
    const notBefore = certificate.notBefore;
    const notAfter = certificate.notAfter;
    const days = Math.floor((notAfter.getTime() - input.at.getTime()) / DAY_MS);
    const atDay = input.at.toISOString().slice(0, 10);
    if (input.at.getTime() > notAfter.getTime()) {
      push('tls.expired', 'high', 'fail', subject, `憑證 ${subject} 已於 ${notAfter.toISOString().slice(0, 10)} 過期（評估日 ${atDay}）。`, `Certificate ${subject} expired on ${notAfter.toISOString().slice(0, 10)} (evaluated at ${atDay}).`, { notAfter: notAfter.toISOString(), daysToExpiry: days });
    } else if (input.at.getTime() < notBefore.getTime()) {
      push('tls.not-yet-valid', 'high', 'fail', subject, `憑證 ${subject} 自 ${notBefore.toISOString().slice(0, 10)} 起才生效（評估日 ${atDay}）。`, `Certificate ${subject} is not valid before ${notBefore.toISOString().slice(0, 10)} (evaluated at ${atDay}).`, { notBefore: notBefore.toISOString() });
    } else if (days < (input.warningDays ?? EXPIRY_WARNING_DAYS)) {
      push('tls.expiring-soon', 'medium', 'warning', subject, `憑證 ${subject} 將於 ${days} 天後（${notAfter.toISOString().slice(0, 10)}）到期。`, `Certificate ${subject} expires in ${days} days (${notAfter.toISOString().slice(0, 10)}).`, { notAfter: notAfter.toISOString(), daysToExpiry: days });
    }
    if (isAnchor) {
      continue;
    }
    const key = describeKey(der);
    if (key.isWeak) {
      push('tls.weak-key', 'high', 'fail', subject, `憑證 ${subject} 使用弱金鑰：${key.reason}。`, `Certificate ${subject} has a weak key: ${key.reason}.`, { keyType: key.type, bits: key.bits, curve: key.curve });
    }
    const oid = readSignatureAlgorithmOid(der);
    const algorithm = oid ? SIGNATURE_ALGORITHMS[oid] : undefined;
    if (!algorithm || algorithm.isWeak) {
      const name = algorithm?.name ?? `OID ${oid ?? '?'}`;
      push('tls.weak-signature', 'high', algorithm ? 'fail' : 'unknown', subject, `憑證 ${subject} 的簽章演算法 ${name} ${algorithm ? '已不安全' : '無法辨識'}。`, `Certificate ${subject} is signed with ${name}${algorithm ? ', which is broken' : ' (unrecognised)'}.`, { signatureAlgorithm: name, oid });
    }
    if (isLeaf) {
      const version = readCertificateVersion(der);
      if (version === 1) {
        push('tls.x509-v1', 'high', 'fail', subject, `終端憑證 ${subject} 為 X.509 v1（無擴充欄位）。`, `End-entity certificate ${subject} is X.509 v1 (no extensions).`);
      }
      const constraints = certificate.getExtension(BasicConstraintsExtension);
      if (constraints?.ca) {
        push('tls.leaf-is-ca', 'high', 'fail', subject, `終端憑證 ${subject} 的 basicConstraints 為 CA=true。`, `End-entity certificate ${subject} has basicConstraints CA=true.`);
      }
    }
  }

  // Issuers on the built path: the chain builder only verifies signatures, so a certificate that is not a
  // CA (or may not sign certificates, or allows fewer CAs below it) would otherwise pass as an issuer.
  for (let index = 1; index < built.length; index += 1) {
    const issuer = built[index];
    const subject = issuer.subject || '(empty subject)';
    const isAnchor = input.trustAnchors.some((anchor) => isSameCertificate(anchor, issuer));
    const constraints = issuer.getExtension(BasicConstraintsExtension);
    if (!isAnchor) {
      if (!constraints?.ca) {
        push(
          'tls.intermediate-not-ca', 'high', 'fail', subject,
          `中繼憑證 ${subject} 不是 CA（basicConstraints ${constraints ? 'CA=false' : '未設定'}），不得簽發 ${built[index - 1].subject}。`,
          `Intermediate certificate ${subject} is not a CA (basicConstraints ${constraints ? 'CA=false' : 'missing'}) and may not issue ${built[index - 1].subject}.`,
          { basicConstraints: constraints ? 'CA=false' : 'missing' },
        );
      }
      const keyUsage = issuer.getExtension(KeyUsagesExtension);
      if (keyUsage && (keyUsage.usages & KeyUsageFlags.keyCertSign) === 0) {
        push(
          'tls.intermediate-no-keycertsign', 'high', 'fail', subject,
          `中繼憑證 ${subject} 的 keyUsage 不含 keyCertSign，不得簽發憑證。`,
          `Intermediate certificate ${subject} has a keyUsage without keyCertSign and may not sign certificates.`,
        );
      }
    }
    // CA certificates between this one and the end-entity (self-issued ones do not count, RFC 5280 4.2.1.9).
    const casBelow = built.slice(1, index).filter((certificate) => certificate.subject !== certificate.issuer).length;
    if (constraints?.ca && constraints.pathLength !== undefined && casBelow > constraints.pathLength) {
      push(
        'tls.path-length-exceeded', 'high', 'fail', subject,
        `${isAnchor ? '根' : '中繼'}憑證 ${subject} 的 pathLenConstraint 為 ${constraints.pathLength}，其下卻有 ${casBelow} 張中繼 CA 憑證。`,
        `${isAnchor ? 'Root' : 'Intermediate'} certificate ${subject} has pathLenConstraint ${constraints.pathLength} but ${casBelow} intermediate CA certificates below it.`,
        { pathLength: constraints.pathLength, intermediatesBelow: casBelow },
      );
    }
  }

  // Host name against SAN (CN is not accepted).
  const san = leaf.getExtension(SubjectAlternativeNameExtension);
  const dnsNames = san?.names.items.filter((name) => name.type === 'dns').map((name) => name.value) ?? [];
  const ipAddresses = san?.names.items.filter((name) => name.type === 'ip').map((name) => name.value) ?? [];
  if (dnsNames.length + ipAddresses.length === 0) {
    push('tls.no-san', 'high', 'fail', leafSubject, `憑證 ${leafSubject} 沒有主體別名（SAN），用戶端不接受僅有 CN 的憑證。`, `Certificate ${leafSubject} has no subjectAltName; CN-only certificates are not accepted.`);
  } else if (input.hostname && !matchesHostname(input.hostname, dnsNames, ipAddresses)) {
    push('tls.hostname-mismatch', 'high', 'fail', leafSubject, `憑證 ${leafSubject} 的名稱（${[...dnsNames, ...ipAddresses].join('、')}）不含 ${input.hostname}。`, `Certificate ${leafSubject} names (${[...dnsNames, ...ipAddresses].join(', ')}) do not include ${input.hostname}.`, { hostname: input.hostname, dnsNames, ipAddresses });
  }

  return {
    findings,
    subject: leafSubject,
    notAfter: leaf.notAfter.toISOString(),
    daysToExpiry: Math.floor((leaf.notAfter.getTime() - input.at.getTime()) / DAY_MS),
    isTrusted,
    chainSubjects: built.map((certificate) => certificate.subject),
  };
}
