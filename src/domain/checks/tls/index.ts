import './install-reflect-metadata.ts';
import { rootCertificates } from 'node:tls';
import { X509Certificate } from '@peculiar/x509';
import { CheckInputError, statusFromFindings, type CheckDefinition, type CheckInput, type CheckResult, type Finding } from '../types.ts';
import { CERTIFICATE_ITEMS, EXPIRY_WARNING_DAYS, evaluateCertificateChain } from './evaluate-certificate-chain.ts';
import { evaluateConnection } from './evaluate-connection.ts';
import { connectTls, parseTlsTarget, probeLegacyProtocols, probeWeakCiphers } from './probe-tls-target.ts';
import { readPemBundle } from './read-pem-bundle.ts';

export { evaluateCertificateChain, matchesHostname } from './evaluate-certificate-chain.ts';
export { evaluateConnection, classifyCipher } from './evaluate-connection.ts';
export { parseTlsTarget, connectTls } from './probe-tls-target.ts';
export { readPemBundle } from './read-pem-bundle.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

let systemAnchors: X509Certificate[] | undefined;

/** The system store Node was built with, parsed once. */
function listSystemAnchors(): X509Certificate[] {
  systemAnchors ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return systemAnchors;
}

export interface TlsCheckOptions {
  at?: string;
  /** Name to check (and send as SNI) instead of the target host; required to check names offline. */
  hostname?: string;
  /** PEM text of CA certificates to trust instead of the system store. */
  caBundle?: string;
  /** Connect timeout per handshake, in ms (numbers may arrive as strings from --option). */
  timeoutMs?: number | string;
  /** Probe TLS 1.0/1.1 and weak suites (default true; false or "false" turns it off). */
  probe?: boolean | string;
  /** Days before expiry that give a warning (default 30). */
  warningDays?: number | string;
}

function readNumberOption(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new CheckInputError(`選項 ${name} 應為非負數 / option ${name} must be a non-negative number: ${value}`);
  }
  return number;
}

/** A DER certificate file, checked to decode; anything else is an input error naming the file. */
function readDerCertificate(file: string, der: Uint8Array): Uint8Array {
  try {
    new X509Certificate(new Uint8Array(der));
  } catch (error) {
    throw new CheckInputError(
      `無法解析 DER 憑證（檔案不是 X.509 憑證或已損毀）/ cannot parse the DER certificate (not an X.509 certificate, or damaged): ${(error as Error).message}`,
      file,
    );
  }
  return der;
}

async function checkOne(input: CheckInput, options: TlsCheckOptions, at: Date, anchors: X509Certificate[]) {
  const findings: Finding[] = [];
  const stats: Record<string, number | string> = {};
  const isOffline = input.text !== undefined || input.bytes !== undefined;
  let chain: Uint8Array[];
  let hostname = options.hostname;
  if (isOffline) {
    chain = input.text !== undefined ? readPemBundle(input.name, input.text) : [readDerCertificate(input.name, input.bytes!)];
    stats.mode = 'pem';
  } else {
    const target = parseTlsTarget(input.name);
    hostname ??= target.host;
    const probeOptions = { servername: options.hostname, timeoutMs: readNumberOption(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS) };
    let result;
    try {
      result = await connectTls(target, probeOptions);
    } catch (error) {
      findings.push({
        rule: 'tls.unreachable',
        severity: 'high',
        status: 'unknown',
        message: `無法與 ${input.name} 完成 TLS 交握：${(error as Error).message}`,
        messageEn: `Cannot complete a TLS handshake with ${input.name}: ${(error as Error).message}`,
        location: { file: input.name, subject: input.name },
        items: CERTIFICATE_ITEMS,
      });
      return { findings, stats: { ...stats, mode: 'host:port' }, isError: true };
    }
    chain = result.chain;
    stats.mode = 'host:port';
    stats.protocol = result.connection.protocol;
    stats.cipher = result.connection.cipher;
    const shouldProbe = options.probe !== false && options.probe !== 'false';
    const legacy = shouldProbe ? await probeLegacyProtocols(target, probeOptions) : [];
    const weak = shouldProbe ? await probeWeakCiphers(target, probeOptions) : undefined;
    for (const probe of legacy) {
      stats[`accepts ${probe.protocol}`] = probe.isAccepted ? 'yes' : 'no';
    }
    findings.push(...evaluateConnection(input.name, result.connection, legacy, weak));
    if (chain.length === 0) {
      throw new CheckInputError('伺服器未提供憑證 / the server sent no certificate', input.name);
    }
  }
  const evaluation = await evaluateCertificateChain({
    chain,
    at,
    hostname,
    trustAnchors: anchors,
    file: input.name,
    warningDays: readNumberOption(options.warningDays, 'warningDays', EXPIRY_WARNING_DAYS),
  });
  findings.unshift(...evaluation.findings);
  Object.assign(stats, {
    subject: evaluation.subject,
    notAfter: evaluation.notAfter,
    daysToExpiry: evaluation.daysToExpiry,
    trusted: evaluation.isTrusted ? 'yes' : 'no',
    chainLength: chain.length,
    hostname: hostname ?? 'not checked',
  });
  return { findings, stats, isError: false };
}

export const tlsCheck: CheckDefinition = {
  id: 'tls',
  title: 'SSL/TLS 憑證與連線',
  titleEn: 'SSL/TLS certificates and connections',
  version: '1.0.0',
  inputKinds: ['host:port', 'pem'],
  items: ['NET:5.1.1', 'CSIM:7.1.c', 'CSIM:8.6.c'],
  async run(inputs, rawOptions): Promise<CheckResult> {
    const options = rawOptions as TlsCheckOptions;
    const at = new Date(options.at ?? new Date().toISOString());
    if (Number.isNaN(at.getTime())) {
      throw new CheckInputError(`at 日期無法解讀 / invalid at date: ${options.at}`);
    }
    const anchors =
      typeof options.caBundle === 'string'
        ? readPemBundle('ca-bundle', options.caBundle).map((der) => new X509Certificate(new Uint8Array(der)))
        : listSystemAnchors();
    const findings: Finding[] = [];
    const stats: Record<string, number | string> = { targets: inputs.length };
    let hasError = false;
    for (const input of inputs) {
      const result = await checkOne(input, options, at, anchors);
      findings.push(...result.findings);
      hasError ||= result.isError;
      for (const [key, value] of Object.entries(result.stats)) {
        stats[inputs.length === 1 ? key : `${input.name} ${key}`] = value;
      }
    }
    const failing = findings.filter((finding) => finding.status === 'fail').length;
    return {
      check: 'tls',
      checkVersion: '1.0.0',
      status: hasError ? 'error' : statusFromFindings(findings),
      evaluatedAt: at.toISOString(),
      summary: `檢查 ${inputs.length} 個目標，${failing} 項不符合。`,
      summaryEn: `${inputs.length} targets checked; ${failing} failing findings.`,
      findings,
      items: tlsCheck.items,
      stats,
    };
  },
};
