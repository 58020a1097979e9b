/**
 * Findings on a parsed rule set: permit any-any, missing default deny, risky services open to any
 * source, shadowed and redundant rules (exact, see coverage.ts), disabled and unused rules, rules
 * without owner/description/review date, and rule sets not reviewed within a year.
 */
import type { Finding, FindingSeverity } from '../types.ts';
import type { FirewallRule, RuleChain, RuleSet } from './model.ts';
import { analyseCoverage, type RuleCoverage } from './coverage.ts';
import { isAnyAddress } from './addresses.ts';
import { describeRanges, isAnyPort, isAnyProtocol, TCP, UDP } from './ports.ts';

/** Catalog items each kind of finding breaks. */
export const FIREWALL_ITEMS = {
  /** 最小授權及正面表列 (NET 第四條 二、(二); CSIM 112 7.1.b.(h)). */
  leastPrivilege: ['NET:4.2.2', 'CSIM@112:7.1.b.h'],
  /** 網路區域劃分: traffic from outside must pass access control (NET 第三條 二、(三); CSIM 7.1.a.(e)). */
  zoning: ['NET:3.2.3', 'CSIM:7.1.a.e'],
  /** Periodic (yearly) review of the rules (NET 第三條 二、(五), 第四條 二、(三); CSIM 7.1.b.(f), 112 7.1.b.(i)). */
  review: ['NET:4.2.3', 'NET:3.2.5', 'CSIM:7.1.b.f', 'CSIM@112:7.1.b.i'],
  /** Rule changes reviewed, approved and recorded (NET 第四條 二、(一); CSIM 7.1.b.(e)). */
  change: ['NET:4.2.1', 'CSIM:7.1.b.e'],
} as const;

/** Services that must not be reachable from any source: port → name. */
export const RISKY_PORTS: ReadonlyArray<{ port: number; name: string; protocols: number[] }> = [
  { port: 21, name: 'FTP', protocols: [TCP] },
  { port: 22, name: 'SSH', protocols: [TCP] },
  { port: 23, name: 'Telnet', protocols: [TCP] },
  { port: 135, name: 'MS-RPC', protocols: [TCP, UDP] },
  { port: 137, name: 'NetBIOS-NS', protocols: [UDP] },
  { port: 139, name: 'NetBIOS-SSN', protocols: [TCP] },
  { port: 161, name: 'SNMP', protocols: [UDP, TCP] },
  { port: 445, name: 'SMB', protocols: [TCP] },
  { port: 1433, name: 'MS SQL', protocols: [TCP] },
  { port: 1521, name: 'Oracle', protocols: [TCP] },
  { port: 2049, name: 'NFS', protocols: [TCP, UDP] },
  { port: 2375, name: 'Docker API', protocols: [TCP] },
  { port: 3306, name: 'MySQL', protocols: [TCP] },
  { port: 3389, name: 'RDP', protocols: [TCP, UDP] },
  { port: 5432, name: 'PostgreSQL', protocols: [TCP] },
  { port: 5900, name: 'VNC', protocols: [TCP] },
  { port: 5985, name: 'WinRM', protocols: [TCP] },
  { port: 6379, name: 'Redis', protocols: [TCP] },
  { port: 9200, name: 'Elasticsearch', protocols: [TCP] },
  { port: 11211, name: 'Memcached', protocols: [TCP, UDP] },
  { port: 27017, name: 'MongoDB', protocols: [TCP] },
];

/** Address tags that mean "anyone on the internet". */
const PUBLIC_TAGS = new Set(['internet', 'any', '*', 'all']);

export interface AnalysisOptions {
  at: Date;
  /** When the rule set was last reviewed, if known outside the file. */
  reviewedAt?: Date;
  /**
   * Expect every rule to record an owner and a review date (default true). When the format has no
   * such fields and no rule uses the `owner=` / `reviewed=` convention, the rules lacking them are
   * counted in one `unknown` finding; false turns that off.
   */
  requireOwner?: boolean;
}

/** Where each format keeps free text, for the hint on recording owner and review date. */
const METADATA_HINTS: Record<string, string> = {
  iptables: '-m comment --comment "owner=… reviewed=YYYY-MM-DD"',
  'cisco-ios': 'remark owner=… reviewed=YYYY-MM-DD',
  'cisco-asa': 'access-list … remark owner=… reviewed=YYYY-MM-DD',
  fortios: 'set comments "owner=… reviewed=YYYY-MM-DD"',
  paloalto: 'description "owner=… reviewed=YYYY-MM-DD"',
  'juniper-srx': 'description "owner=… reviewed=YYYY-MM-DD"',
  aws: 'Tags Owner / Reviewed, or Description "owner=… reviewed=YYYY-MM-DD"',
  'azure-nsg': 'description "owner=… reviewed=YYYY-MM-DD"',
};

export interface RuleSetAnalysis {
  findings: Finding[];
  stats: {
    chains: number;
    rules: number;
    packetFilterRules: number;
    shadowed: number;
    redundant: number;
    coverageUnknown: number;
    coverageWork: number;
  };
}

const MAX_RULE_TEXT = 240;

function quote(rule: FirewallRule): string {
  return rule.text.length > MAX_RULE_TEXT ? `${rule.text.slice(0, MAX_RULE_TEXT)}…` : rule.text;
}

function addYear(isoDate: string): Date {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date;
}

function isPublicSource(rule: FirewallRule): boolean {
  if (isAnyAddress(rule.source)) {
    return true;
  }
  return rule.source.tags.length > 0 && rule.source.tags.every((tag) => PUBLIC_TAGS.has(tag.toLowerCase()));
}

/** Connection-state or loopback conditions that mean the rule does not open new inbound access. */
function isStateOrLoopbackOnly(rule: FirewallRule): boolean {
  return rule.qualifiers.some((qualifier) => {
    if (qualifier.startsWith('state:')) {
      return !qualifier.includes('!') && !qualifier.toUpperCase().includes('NEW') && !qualifier.toUpperCase().includes('UNTRACKED');
    }
    return qualifier === 'in:lo' || qualifier === 'established';
  });
}

/** Application-restricted rules (PAN App-ID, SRX dynamic applications) cannot be judged by port. */
function isApplicationRestricted(rule: FirewallRule): boolean {
  return rule.qualifiers.some((qualifier) => qualifier.startsWith('application:') || qualifier === 'service:application-default');
}

const ZONE_QUALIFIER = /^(?:from|to|in|out|srcintf|dstintf|from-zone|to-zone):/;

/** Any source, destination and service, possibly limited to zones or interfaces (not loopback). */
function isAnyAny(rule: FirewallRule): boolean {
  return (
    rule.qualifiers.every((qualifier) => ZONE_QUALIFIER.test(qualifier) && qualifier !== 'in:lo' && qualifier !== 'out:lo') &&
    isCatchAll({ ...rule, qualifiers: [] })
  );
}

function isCatchAll(rule: FirewallRule): boolean {
  return (
    isAnyAddress(rule.source) &&
    isAnyAddress(rule.destination) &&
    rule.services.some(
      (service) => isAnyProtocol(service.protocols) && isAnyPort(service.destinationPorts) && isAnyPort(service.sourcePorts),
    ) &&
    rule.qualifiers.length === 0
  );
}

function openRiskyPorts(rule: FirewallRule): string[] {
  const open: string[] = [];
  for (const risky of RISKY_PORTS) {
    const isOpen = rule.services.some(
      (service) =>
        risky.protocols.some((protocol) => service.protocols.some((range) => range.start <= protocol && protocol <= range.end)) &&
        service.destinationPorts.some((range) => range.start <= risky.port && risky.port <= range.end),
    );
    if (isOpen) {
      open.push(`${risky.port}/${risky.name}`);
    }
  }
  return open;
}

export function analyseRuleSet(ruleSet: RuleSet, options: AnalysisOptions): RuleSetAnalysis {
  const findings: Finding[] = [];
  const stats: RuleSetAnalysis['stats'] = {
    chains: ruleSet.chains.length,
    rules: 0,
    packetFilterRules: 0,
    shadowed: 0,
    redundant: 0,
    coverageUnknown: 0,
    coverageWork: 0,
  };
  const file = ruleSet.file;
  const allRules = ruleSet.chains.flatMap((chain) => chain.rules);
  stats.rules = allRules.length;
  const wantsOwner = ruleSet.metadataFields.owner || allRules.some((rule) => rule.owner);
  const wantsReviewDate = ruleSet.metadataFields.reviewDate || allRules.some((rule) => rule.lastReviewed);
  const wantsDescription = ruleSet.metadataFields.description;

  if (options.requireOwner !== false && (!wantsOwner || !wantsReviewDate)) {
    const lacking = allRules.filter((rule) => (!wantsOwner && !rule.owner) || (!wantsReviewDate && !rule.lastReviewed));
    if (lacking.length > 0) {
      const fields = [!wantsOwner ? 'owner' : undefined, !wantsReviewDate ? 'review date' : undefined].filter((field) => field !== undefined);
      const fieldsZh = [!wantsOwner ? '負責人' : undefined, !wantsReviewDate ? '檢視日期' : undefined].filter((field) => field !== undefined).join('及');
      const hint = METADATA_HINTS[ruleSet.format] ?? 'owner=… reviewed=YYYY-MM-DD';
      findings.push({
        rule: 'firewall.metadata-unrecorded',
        severity: 'low',
        status: 'unknown',
        message: `${lacking.length} 條規則未記錄${fieldsZh}，無法追溯其申請、核准與定期檢視。請在規則的註解／說明中記錄，例如：${hint}（或以 requireOwner=false 關閉此項）。`,
        messageEn: `${lacking.length} rule(s) record no ${fields.join(' or ')}; their request, approval and periodic review cannot be traced. Record them in each rule's comment/description, e.g. ${hint} (or set requireOwner=false to skip this).`,
        location: { file, line: lacking[0].line, subject: `${lacking.length} rules` },
        items: [...FIREWALL_ITEMS.change, ...FIREWALL_ITEMS.review],
        detail: { rules: lacking.length, missing: fields, firstRules: lacking.slice(0, 20).map((rule) => rule.id), hint },
      });
    }
  }

  for (const note of ruleSet.unknowns) {
    findings.push({
      rule: 'firewall.unknown-construct',
      severity: 'low',
      status: 'unknown',
      message: `無法判斷的設定：${note.reason}。原文：${note.text.slice(0, MAX_RULE_TEXT)}`,
      messageEn: `Construct not judged: ${note.reasonEn}. Text: ${note.text.slice(0, MAX_RULE_TEXT)}`,
      location: { file, line: note.line },
      items: [...FIREWALL_ITEMS.review],
    });
  }

  for (const chain of ruleSet.chains) {
    if (!chain.isPacketFilter) {
      findings.push({
        rule: 'firewall.not-packet-filter',
        severity: 'info',
        status: 'info',
        message: `「${chain.name}」不是封包過濾清單（${chain.notFilterReason ?? ''}），已排除於過濾規則檢查之外。`,
        messageEn: `"${chain.name}" is not a packet filter (${chain.notFilterReasonEn ?? ''}); it is excluded from the filtering checks.`,
        location: { file, line: chain.line, subject: chain.name },
        items: [],
      });
      continue;
    }
    stats.packetFilterRules += chain.rules.length;
    analyseChain(chain);
  }

  // Review of the rule set as a whole.
  const stated = options.reviewedAt ? options.reviewedAt.toISOString().slice(0, 10) : ruleSet.reviewedAt;
  const latestRuleReview = allRules.reduce<string | undefined>(
    (latest, rule) => (rule.lastReviewed && (!latest || rule.lastReviewed > latest) ? rule.lastReviewed : latest),
    undefined,
  );
  const reviewedAt = stated ?? latestRuleReview;
  if (!reviewedAt) {
    findings.push({
      rule: 'firewall.review-unknown',
      severity: 'medium',
      status: 'unknown',
      message: '無法得知此規則集最近一次檢視日期；網路設備規則應至少每年檢視一次。請提供檢視日期或檢視紀錄。',
      messageEn: 'The last review date of this rule set is not known; network-device rules must be reviewed at least yearly. Give the review date or the review record.',
      location: { file },
      items: [...FIREWALL_ITEMS.review],
    });
  } else if (options.at > addYear(reviewedAt)) {
    findings.push({
      rule: 'firewall.review-overdue',
      severity: 'high',
      status: 'fail',
      message: `此規則集最近一次檢視為 ${reviewedAt}，已超過一年未檢視（應至少每年檢視一次網路設備規則）。`,
      messageEn: `This rule set was last reviewed on ${reviewedAt}, more than a year ago (rules must be reviewed at least yearly).`,
      location: { file, line: stated === ruleSet.reviewedAt ? ruleSet.reviewedAtLine : undefined },
      items: [...FIREWALL_ITEMS.review],
      detail: { reviewedAt },
    });
  }
  return { findings, stats };

  function ruleFinding(
    chain: RuleChain,
    rule: FirewallRule,
    fields: { rule: string; severity: FindingSeverity; status: Finding['status']; message: string; messageEn: string; items: readonly string[]; detail?: Record<string, unknown> },
  ): void {
    findings.push({
      rule: fields.rule,
      severity: fields.severity,
      status: fields.status,
      message: `${fields.message} 規則：${quote(rule)}`,
      messageEn: `${fields.messageEn} Rule: ${quote(rule)}`,
      location: { file, line: rule.line, subject: `${chain.name} ${rule.id}` },
      items: [...fields.items],
      detail: { chain: chain.name, ruleId: rule.id, position: rule.position, ...fields.detail },
    });
  }

  function analyseChain(chain: RuleChain): void {
    const coverage = analyseCoverage(chain);
    stats.coverageWork += coverage.work;
    const isOutbound = chain.direction === 'outbound';
    if (coverage.stoppedAt !== undefined) {
      const first = chain.rules[coverage.stoppedAt];
      stats.coverageUnknown += chain.rules.length - coverage.stoppedAt;
      findings.push({
        rule: 'firewall.coverage-unknown',
        severity: 'low',
        status: 'unknown',
        message: `「${chain.name}」規則重疊過多，遮蔽分析在第 ${coverage.stoppedAt + 1} 條規則（第 ${first.line} 行）後停止；其後 ${chain.rules.length - coverage.stoppedAt} 條規則未判斷是否被遮蔽。`,
        messageEn: `"${chain.name}" has so many overlapping rules that the shadowing analysis stopped at rule ${coverage.stoppedAt + 1} (line ${first.line}); the ${chain.rules.length - coverage.stoppedAt} rules from there on were not checked for shadowing.`,
        location: { file, line: first.line, subject: chain.name },
        items: [...FIREWALL_ITEMS.review],
        detail: { chain: chain.name, stoppedAtPosition: coverage.stoppedAt + 1, work: coverage.work },
      });
    }
    // The first enabled catch-all rule decides everything after it, whatever the chain default says.
    let catchAll: FirewallRule | undefined;

    chain.rules.forEach((rule, index) => {
      const result: RuleCoverage = coverage.results[index];
      if (!rule.isEnabled) {
        ruleFinding(chain, rule, {
          rule: 'firewall.disabled-rule',
          severity: 'low',
          status: 'warning',
          message: `規則 ${rule.id} 已停用，應於年度檢視時確認是否刪除。`,
          messageEn: `Rule ${rule.id} is disabled; the yearly review should decide whether to delete it.`,
          items: FIREWALL_ITEMS.review,
        });
      } else {
        if (!catchAll && isCatchAll(rule) && (rule.action === 'permit' || rule.action === 'deny')) {
          catchAll = rule;
        }
        if (rule.action === 'permit' && isAnyAny(rule) && result.status !== 'shadowed' && result.status !== 'redundant') {
          ruleFinding(chain, rule, {
            rule: 'firewall.any-any',
            severity: isOutbound ? 'medium' : 'high',
            status: isOutbound ? 'warning' : 'fail',
            message: `規則 ${rule.id} 允許任意來源到任意目的之任意服務（permit any-any${rule.qualifiers.length > 0 ? `，限 ${rule.qualifiers.join('、')}` : ''}），違反最小授權及正面表列原則。`,
            messageEn: `Rule ${rule.id} permits any source to any destination on any service (permit any-any${rule.qualifiers.length > 0 ? `, only ${rule.qualifiers.join(', ')}` : ''}), against least privilege and the positive-list principle.`,
            items: [...FIREWALL_ITEMS.leastPrivilege, ...FIREWALL_ITEMS.zoning],
          });
        } else if (
          rule.action === 'permit' &&
          !isOutbound &&
          isPublicSource(rule) &&
          !isStateOrLoopbackOnly(rule) &&
          !isApplicationRestricted(rule) &&
          result.status !== 'shadowed' &&
          result.status !== 'redundant'
        ) {
          const ports = openRiskyPorts(rule);
          if (ports.length > 0) {
            const isStateless = ruleSet.format === 'aws-nacl';
            ruleFinding(chain, rule, {
              rule: 'firewall.risky-port-open',
              severity: isStateless ? 'medium' : 'high',
              status: 'fail',
              message: `規則 ${rule.id} 對任意來源開放管理或高風險服務埠：${ports.join('、')}${isStateless ? '（無狀態網路 ACL，請確認是否僅為回應流量）' : ''}。`,
              messageEn: `Rule ${rule.id} opens management or risky ports to any source: ${ports.join(', ')}${isStateless ? ' (stateless network ACL: check whether this is only for return traffic)' : ''}.`,
              items: [...FIREWALL_ITEMS.leastPrivilege, ...FIREWALL_ITEMS.zoning],
              detail: { ports, destinationPorts: rule.services.map((service) => describeRanges(service.destinationPorts)) },
            });
          }
        }
        if (result.status === 'shadowed' || result.status === 'redundant') {
          const coverers = result.coveredBy.map((other) => chain.rules[other]);
          const where = coverers.map((other) => `${other.id}（第 ${other.line} 行）`).join('、');
          const whereEn = coverers.map((other) => `${other.id} (line ${other.line})`).join(', ');
          if (result.status === 'shadowed') {
            stats.shadowed += 1;
            const isNonTerminal = rule.action === 'other';
            ruleFinding(chain, rule, {
              rule: 'firewall.shadowed',
              severity: rule.action === 'deny' ? 'high' : 'medium',
              status: rule.action === 'deny' ? 'fail' : 'warning',
              message: isNonTerminal
                ? `規則 ${rule.id} 永遠不會被執行：其比對範圍已完全被前面的規則 ${where} 決定。`
                : `規則 ${rule.id}（${rule.actionText}）被前面動作不同的規則 ${where} 完全遮蔽，永遠不會生效。`,
              messageEn: isNonTerminal
                ? `Rule ${rule.id} is never reached: everything it matches is decided earlier by ${whereEn}.`
                : `Rule ${rule.id} (${rule.actionText}) is fully shadowed by earlier rules with a different action (${whereEn}); it never takes effect.`,
              items: [...FIREWALL_ITEMS.review, ...FIREWALL_ITEMS.leastPrivilege],
              detail: { coveredByLines: coverers.map((other) => other.line) },
            });
          } else {
            stats.redundant += 1;
            ruleFinding(chain, rule, {
              rule: 'firewall.redundant',
              severity: 'low',
              status: 'warning',
              message: `規則 ${rule.id} 為多餘規則：其範圍已被${chain.isOrdered ? '前面' : '其他'}相同動作的規則 ${where} 完全涵蓋。`,
              messageEn: `Rule ${rule.id} is redundant: it is fully covered by ${chain.isOrdered ? 'earlier' : 'other'} rules with the same action (${whereEn}).`,
              items: FIREWALL_ITEMS.review,
              detail: { coveredByLines: coverers.map((other) => other.line) },
            });
          }
        } else if (result.status === 'unknown' && coverage.stoppedAt === undefined) {
          stats.coverageUnknown += 1;
          ruleFinding(chain, rule, {
            rule: 'firewall.coverage-unknown',
            severity: 'low',
            status: 'unknown',
            message: `無法判斷規則 ${rule.id} 是否被遮蔽（${result.reason ?? ''}）。`,
            messageEn: `Could not tell whether rule ${rule.id} is shadowed (${result.reason ?? ''}).`,
            items: FIREWALL_ITEMS.review,
          });
        }
        if (rule.hitCount === 0) {
          ruleFinding(chain, rule, {
            rule: 'firewall.unused-rule',
            severity: 'low',
            status: 'warning',
            message: `規則 ${rule.id} 命中次數為 0，可能已不再需要，應檢視是否刪除。`,
            messageEn: `Rule ${rule.id} has a hit count of 0; it may no longer be needed and should be reviewed for removal.`,
            items: [...FIREWALL_ITEMS.review, ...FIREWALL_ITEMS.leastPrivilege],
            detail: { hitCount: 0 },
          });
        }
      }
      const missing: string[] = [];
      if (wantsDescription && !rule.description) {
        missing.push('description');
      }
      if (wantsOwner && !rule.owner) {
        missing.push('owner');
      }
      if (wantsReviewDate && !rule.lastReviewed) {
        missing.push('review date');
      }
      if (missing.length > 0) {
        const zh = missing.map((field) => ({ description: '說明', owner: '負責人', 'review date': '檢視日期' })[field]).join('、');
        ruleFinding(chain, rule, {
          rule: 'firewall.missing-metadata',
          severity: 'low',
          status: 'warning',
          message: `規則 ${rule.id} 缺少${zh}，無法追溯其申請與核准紀錄。`,
          messageEn: `Rule ${rule.id} has no ${missing.join(', ')}; its request and approval cannot be traced.`,
          items: FIREWALL_ITEMS.change,
          detail: { missing },
        });
      }
      if (rule.lastReviewed && options.at > addYear(rule.lastReviewed)) {
        ruleFinding(chain, rule, {
          rule: 'firewall.rule-review-overdue',
          severity: 'medium',
          status: 'warning',
          message: `規則 ${rule.id} 最近一次檢視為 ${rule.lastReviewed}，已超過一年。`,
          messageEn: `Rule ${rule.id} was last reviewed on ${rule.lastReviewed}, more than a year ago.`,
          items: FIREWALL_ITEMS.review,
          detail: { lastReviewed: rule.lastReviewed },
        });
      }
    });

    const effectiveDefault = catchAll
      ? { action: catchAll.action, text: `rule ${catchAll.id}: ${quote(catchAll)}`, line: catchAll.line }
      : { action: chain.defaultAction, text: chain.defaultText, line: chain.defaultLine };
    if (effectiveDefault.action === 'permit') {
      findings.push({
        rule: 'firewall.default-deny-missing',
        severity: isOutbound ? 'medium' : 'high',
        status: isOutbound ? 'warning' : 'fail',
        message: `「${chain.name}」未以拒絕作為預設（${effectiveDefault.text}）：未列出的流量會被允許，違反正面表列原則。`,
        messageEn: `"${chain.name}" does not default to deny (${effectiveDefault.text}): traffic no rule lists is allowed, against the positive-list principle.`,
        location: { file, line: effectiveDefault.line ?? chain.line, subject: chain.name },
        items: [...FIREWALL_ITEMS.leastPrivilege, ...FIREWALL_ITEMS.zoning],
        detail: { chain: chain.name, default: effectiveDefault.text },
      });
    } else if (effectiveDefault.action === 'unknown') {
      findings.push({
        rule: 'firewall.default-deny-missing',
        severity: 'medium',
        status: 'unknown',
        message: `無法判斷「${chain.name}」的預設動作（${effectiveDefault.text}）；請在最後加上拒絕全部的規則或提供預設政策。`,
        messageEn: `The default action of "${chain.name}" cannot be told (${effectiveDefault.text}); add a final deny-all rule or state the default policy.`,
        location: { file, line: chain.line, subject: chain.name },
        items: [...FIREWALL_ITEMS.leastPrivilege],
        detail: { chain: chain.name },
      });
    }
  }
}
