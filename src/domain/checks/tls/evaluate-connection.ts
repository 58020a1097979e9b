import type { Finding } from '../types.ts';

export const CONNECTION_ITEMS = ['NET:5.1.1', 'CSIM:7.1.c', 'CSIM:8.6.c'];

const PROTOCOL_RANK: Record<string, number> = { SSLv2: 0, SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };

export interface NegotiatedConnection {
  /** As Node reports it: "TLSv1.3", "TLSv1.2", "TLSv1"… */
  protocol: string;
  /** OpenSSL cipher name ("ECDHE-RSA-AES128-GCM-SHA256"). */
  cipher: string;
  /** IANA name where Node knows it. */
  standardName?: string;
}

export interface LegacyProbe {
  protocol: 'TLSv1' | 'TLSv1.1';
  isAccepted: boolean;
  cipher?: string;
}

/** Why a cipher suite is weak, or undefined. CBC with SHA-1 MAC is weak only before TLS 1.2. */
export function classifyCipher(connection: NegotiatedConnection): { isWeak: boolean; reason?: string } {
  const names = `${connection.cipher} ${connection.standardName ?? ''}`.toUpperCase();
  const rules: Array<[RegExp, string]> = [
    [/NULL/, 'NULL（無加密）'],
    [/EXP(ORT)?[-_]/, 'EXPORT'],
    [/(^|[-_\s])(ADH|AECDH)[-_]|_ANON_/, 'anonymous key exchange'],
    [/RC4/, 'RC4'],
    [/RC2/, 'RC2'],
    [/3DES|DES-CBC3|DES_EDE|(^|[-_\s])DES[-_]/, '3DES/DES'],
    [/MD5/, 'MD5 MAC'],
    [/IDEA|SEED/, 'legacy block cipher'],
  ];
  for (const [pattern, reason] of rules) {
    if (pattern.test(names)) {
      return { isWeak: true, reason };
    }
  }
  const rank = PROTOCOL_RANK[connection.protocol] ?? 0;
  const isCbcSha1 = /(-SHA$|_CBC_SHA$)/.test(connection.cipher.toUpperCase()) || /_CBC_SHA\b/.test(names);
  if (isCbcSha1 && rank < PROTOCOL_RANK['TLSv1.2']) {
    return { isWeak: true, reason: `CBC + SHA-1 on ${connection.protocol}` };
  }
  return { isWeak: false };
}

/** Negotiated protocol below TLS 1.2 fails; weak cipher fails; accepting TLS 1.0/1.1 is a warning. */
export function evaluateConnection(
  target: string,
  connection: NegotiatedConnection,
  legacy: LegacyProbe[],
  weakCipherAccepted?: NegotiatedConnection,
): Finding[] {
  const findings: Finding[] = [];
  const location = { file: target, subject: target };
  const rank = PROTOCOL_RANK[connection.protocol] ?? 0;
  if (rank < PROTOCOL_RANK['TLSv1.2']) {
    findings.push({
      rule: 'tls.old-protocol',
      severity: 'high',
      status: 'fail',
      message: `${target} 協商的通訊協定為 ${connection.protocol}，低於 TLS 1.2。`,
      messageEn: `${target} negotiated ${connection.protocol}, below TLS 1.2.`,
      location,
      items: CONNECTION_ITEMS,
      detail: { protocol: connection.protocol },
    });
  }
  const cipher = classifyCipher(connection);
  if (cipher.isWeak) {
    findings.push({
      rule: 'tls.weak-cipher',
      severity: 'high',
      status: 'fail',
      message: `${target} 協商的加密套件 ${connection.cipher} 不安全（${cipher.reason}）。`,
      messageEn: `${target} negotiated the weak cipher suite ${connection.cipher} (${cipher.reason}).`,
      location,
      items: CONNECTION_ITEMS,
      detail: { cipher: connection.cipher, protocol: connection.protocol },
    });
  }
  if (weakCipherAccepted) {
    const reason = classifyCipher(weakCipherAccepted).reason;
    findings.push({
      rule: 'tls.weak-cipher-accepted',
      severity: 'high',
      status: 'fail',
      message: `${target} 接受不安全的加密套件 ${weakCipherAccepted.cipher}（${reason}）。`,
      messageEn: `${target} accepts the weak cipher suite ${weakCipherAccepted.cipher} (${reason}).`,
      location,
      items: CONNECTION_ITEMS,
      detail: { cipher: weakCipherAccepted.cipher, protocol: weakCipherAccepted.protocol },
    });
  }
  const accepted = legacy.filter((probe) => probe.isAccepted && probe.protocol !== connection.protocol);
  if (accepted.length > 0) {
    const names = accepted.map((probe) => (probe.protocol === 'TLSv1' ? 'TLS 1.0' : probe.protocol.replace('TLSv', 'TLS ')));
    findings.push({
      rule: 'tls.legacy-protocol-accepted',
      severity: 'medium',
      status: 'warning',
      message: `${target} 仍接受舊版協定 ${names.join('、')}。`,
      messageEn: `${target} still accepts ${names.join(', ')}.`,
      location,
      items: CONNECTION_ITEMS,
      detail: { protocols: accepted.map((probe) => probe.protocol) },
    });
  }
  return findings;
}
