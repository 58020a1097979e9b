/** Protocol numbers, well-known port names and the port-range helpers the parsers share. */
import type { NumberRange } from './model.ts';
import { normalizeRanges } from './addresses.ts';

export const ANY_PROTOCOL: NumberRange[] = [{ start: 0, end: 255 }];
export const ANY_PORT: NumberRange[] = [{ start: 0, end: 65535 }];
export const TCP = 6;
export const UDP = 17;

const PROTOCOL_NUMBERS: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  ipinip: 4,
  tcp: 6,
  egp: 8,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  icmpv6: 58,
  'ipv6-icmp': 58,
  eigrp: 88,
  ospf: 89,
  pim: 103,
  vrrp: 112,
  sctp: 132,
};

const ANY_PROTOCOL_WORDS = new Set(['ip', 'ipv6', 'any', 'all', '*', '-1', '0']);

/** Protocol word or number to ranges; undefined when unknown. "ip", "all", "*", "-1" mean any. */
export function parseProtocol(word: string): NumberRange[] | undefined {
  const lower = word.toLowerCase();
  if (ANY_PROTOCOL_WORDS.has(lower)) {
    return ANY_PROTOCOL.map((range) => ({ ...range }));
  }
  if (lower === 'tcp-udp' || lower === 'tcp/udp') {
    return [
      { start: TCP, end: TCP },
      { start: UDP, end: UDP },
    ];
  }
  if (/^\d{1,3}$/.test(lower)) {
    const value = Number(lower);
    return value <= 255 ? [{ start: value, end: value }] : undefined;
  }
  const value = PROTOCOL_NUMBERS[lower];
  return value === undefined ? undefined : [{ start: value, end: value }];
}

/** Well-known service names (Cisco IOS/ASA, /etc/services) to port numbers. */
const PORT_NAMES: Record<string, number> = {
  'ftp-data': 20,
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  time: 37,
  nameserver: 42,
  whois: 43,
  tacacs: 49,
  domain: 53,
  dns: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  gopher: 70,
  finger: 79,
  www: 80,
  http: 80,
  kerberos: 88,
  pop2: 109,
  pop3: 110,
  sunrpc: 111,
  ident: 113,
  nntp: 119,
  ntp: 123,
  'netbios-ns': 137,
  'netbios-dgm': 138,
  'netbios-ss': 139,
  'netbios-ssn': 139,
  imap4: 143,
  imap: 143,
  snmp: 161,
  snmptrap: 162,
  bgp: 179,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  exec: 512,
  biff: 512,
  login: 513,
  who: 513,
  cmd: 514,
  rsh: 514,
  syslog: 514,
  lpd: 515,
  talk: 517,
  rip: 520,
  uucp: 540,
  klogin: 543,
  kshell: 544,
  ldaps: 636,
  'ms-sql-s': 1433,
  sqlnet: 1521,
  radius: 1645,
  'radius-acct': 1646,
  pptp: 1723,
  nfs: 2049,
  mysql: 3306,
  rdp: 3389,
  'ms-wbt-server': 3389,
  postgres: 5432,
  postgresql: 5432,
  vnc: 5900,
  'http-alt': 8080,
  echo: 7,
  discard: 9,
  daytime: 13,
  chargen: 19,
  irc: 194,
  isakmp: 500,
  'pim-auto-rp': 496,
  hostname: 101,
  xdmcp: 177,
  citrix: 1494,
  'citrix-ica': 1494,
  'lotusnotes': 1352,
  'h323': 1720,
  'sip': 5060,
  'aol': 5190,
  'ctiqbe': 2748,
  'cifs': 3020,
  'netbios-dg': 138,
  'mobile-ip': 434,
  'dnsix': 195,
  'secureid-udp': 5510,
};

/** A port number or well-known name; undefined when neither. */
export function parsePortWord(word: string): number | undefined {
  if (/^\d{1,5}$/.test(word)) {
    const value = Number(word);
    return value <= 65535 ? value : undefined;
  }
  return PORT_NAMES[word.toLowerCase()];
}

/** "22", "1000-2000", "1000:2000", "http"; undefined when malformed. */
export function parsePortRangeText(text: string): NumberRange | undefined {
  const separator = text.includes('-') ? '-' : text.includes(':') ? ':' : undefined;
  if (separator) {
    const [first, last, extra] = text.split(separator);
    if (extra !== undefined) {
      return undefined;
    }
    const start = first === '' ? 0 : parsePortWord(first);
    const end = last === '' ? 65535 : parsePortWord(last);
    if (start === undefined || end === undefined || start > end) {
      return undefined;
    }
    return { start, end };
  }
  const value = parsePortWord(text);
  return value === undefined ? undefined : { start: value, end: value };
}

/** Comma-separated port list ("22,80,1000:2000"); undefined when any piece is malformed. */
export function parsePortList(text: string): NumberRange[] | undefined {
  const ranges: NumberRange[] = [];
  for (const piece of text.split(',')) {
    const range = parsePortRangeText(piece.trim());
    if (!range) {
      return undefined;
    }
    ranges.push(range);
  }
  return normalizeRanges(ranges);
}

/**
 * Cisco operators: eq/neq/lt/gt/range. Reads from tokens[at]; returns the ranges and how many tokens
 * were used, or undefined when tokens[at] is not an operator. `eq` may list several ports (IOS).
 */
export function readCiscoPortOperator(
  tokens: string[],
  at: number,
  allowSeveral: boolean,
): { ranges: NumberRange[]; used: number; error?: string } | undefined {
  const operator = tokens[at]?.toLowerCase();
  const port = (offset: number) => (tokens[at + offset] === undefined ? undefined : parsePortWord(tokens[at + offset]));
  switch (operator) {
    case 'eq': {
      const first = port(1);
      if (first === undefined) {
        return { ranges: [], used: 1, error: `bad port after eq: ${tokens[at + 1] ?? '(missing)'}` };
      }
      const ranges: NumberRange[] = [{ start: first, end: first }];
      let used = 2;
      while (allowSeveral && port(used) !== undefined && used < 12) {
        const value = port(used)!;
        ranges.push({ start: value, end: value });
        used += 1;
      }
      return { ranges: normalizeRanges(ranges), used };
    }
    case 'neq': {
      const value = port(1);
      if (value === undefined) {
        return { ranges: [], used: 1, error: `bad port after neq: ${tokens[at + 1] ?? '(missing)'}` };
      }
      const ranges: NumberRange[] = [];
      if (value > 0) {
        ranges.push({ start: 0, end: value - 1 });
      }
      if (value < 65535) {
        ranges.push({ start: value + 1, end: 65535 });
      }
      return { ranges, used: 2 };
    }
    case 'lt': {
      const value = port(1);
      if (value === undefined || value === 0) {
        return { ranges: [], used: 1, error: `bad port after lt: ${tokens[at + 1] ?? '(missing)'}` };
      }
      return { ranges: [{ start: 0, end: value - 1 }], used: 2 };
    }
    case 'gt': {
      const value = port(1);
      if (value === undefined || value === 65535) {
        return { ranges: [], used: 1, error: `bad port after gt: ${tokens[at + 1] ?? '(missing)'}` };
      }
      return { ranges: [{ start: value + 1, end: 65535 }], used: 2 };
    }
    case 'range': {
      const start = port(1);
      const end = port(2);
      if (start === undefined || end === undefined || start > end) {
        return { ranges: [], used: 1, error: `bad port range: ${tokens.slice(at + 1, at + 3).join(' ')}` };
      }
      return { ranges: [{ start, end }], used: 3 };
    }
    default:
      return undefined;
  }
}

export function isAnyPort(ranges: NumberRange[]): boolean {
  return ranges.length === 1 && ranges[0].start === 0 && ranges[0].end === 65535;
}

export function isAnyProtocol(ranges: NumberRange[]): boolean {
  return ranges.length === 1 && ranges[0].start === 0 && ranges[0].end === 255;
}

export function describeRanges(ranges: NumberRange[]): string {
  return ranges.map((range) => (range.start === range.end ? `${range.start}` : `${range.start}-${range.end}`)).join(',');
}
