import { describe, expect, it } from 'vitest';
import { analyseCoverage } from './coverage.ts';
import type { FirewallRule, RuleAction, RuleChain } from './model.ts';
import { parseAddressText } from './addresses.ts';
import { anyService, createRule } from './parse-helpers.ts';

function buildRule(fields: { action?: RuleAction; source?: string; destination?: string; protocol?: number; ports?: [number, number]; qualifiers?: string[] }): FirewallRule {
  const rule = createRule({ id: 'r', line: 1, text: '', action: fields.action ?? 'permit', actionText: fields.action ?? 'permit' });
  if (fields.source) {
    rule.source = parseAddressText(fields.source)!;
  }
  if (fields.destination) {
    rule.destination = parseAddressText(fields.destination)!;
  }
  const service = anyService();
  if (fields.protocol !== undefined) {
    service.protocols = [{ start: fields.protocol, end: fields.protocol }];
  }
  if (fields.ports) {
    service.destinationPorts = [{ start: fields.ports[0], end: fields.ports[1] }];
  }
  rule.services = [service];
  rule.qualifiers = fields.qualifiers ?? [];
  return rule;
}

function buildChain(rules: FirewallRule[], isOrdered = true): RuleChain {
  rules.forEach((rule, index) => {
    rule.id = `r${index + 1}`;
    rule.position = index + 1;
  });
  return { name: 'test', kind: 'chain', line: 1, rules, defaultAction: 'deny', defaultText: '', isOrdered, isPacketFilter: true };
}

function statuses(chain: RuleChain): string[] {
  return analyseCoverage(chain).results.map((result) => result.status);
}

describe('analyseCoverage', () => {
  it('finds a /24 shadowed by the union of two earlier /25s with another action', () => {
    const chain = buildChain([
      buildRule({ action: 'deny', source: '10.0.0.0/25' }),
      buildRule({ action: 'deny', source: '10.0.0.128/25' }),
      buildRule({ action: 'permit', source: '10.0.0.0/24' }),
    ]);
    const report = analyseCoverage(chain);
    expect(report.results[2]).toEqual({ status: 'shadowed', coveredBy: [0, 1] });
  });

  it('does not call a rule covered when earlier rules cover only part of it', () => {
    const chain = buildChain([buildRule({ action: 'deny', source: '10.0.0.0/25' }), buildRule({ action: 'permit', source: '10.0.0.0/24' })]);
    expect(statuses(chain)).toEqual(['reachable', 'reachable']);
  });

  it('calls a rule redundant when same-action rules cover it and shadowed when any part goes to another action', () => {
    const redundant = buildChain([
      buildRule({ source: '10.0.0.0/25', protocol: 6, ports: [1, 1000] }),
      buildRule({ source: '10.0.0.128/25', protocol: 6, ports: [1, 1000] }),
      buildRule({ source: '10.0.0.0/24', protocol: 6, ports: [22, 80] }),
    ]);
    expect(statuses(redundant)).toEqual(['reachable', 'reachable', 'redundant']);
    const mixed = buildChain([
      buildRule({ source: '10.0.0.0/25', protocol: 6 }),
      buildRule({ action: 'deny', source: '10.0.0.128/25', protocol: 6 }),
      buildRule({ source: '10.0.0.0/24', protocol: 6, ports: [443, 443] }),
    ]);
    expect(statuses(mixed)[2]).toBe('shadowed');
  });

  it('treats port ranges and protocols exactly', () => {
    const chain = buildChain([
      buildRule({ protocol: 6, ports: [0, 1023] }),
      buildRule({ protocol: 6, ports: [1024, 65535] }),
      buildRule({ protocol: 6, ports: [80, 8080] }),
      buildRule({ protocol: 17, ports: [53, 53] }),
      buildRule({ ports: [80, 80] }),
    ]);
    // tcp 80-8080 is covered by the two tcp rules; udp 53 is not; "any protocol, port 80" is not (udp).
    expect(statuses(chain)).toEqual(['reachable', 'reachable', 'redundant', 'reachable', 'reachable']);
  });

  it('only lets a rule with conditions cover rules that carry the same conditions', () => {
    const chain = buildChain([
      buildRule({ qualifiers: ['state:ESTABLISHED,RELATED'] }),
      buildRule({ protocol: 6, ports: [22, 22] }),
      buildRule({ protocol: 6, ports: [22, 22], qualifiers: ['state:ESTABLISHED,RELATED', 'in:eth0'] }),
    ]);
    expect(statuses(chain)).toEqual(['reachable', 'reachable', 'redundant']);
  });

  it('keeps IPv4 and IPv6 apart', () => {
    const chain = buildChain([buildRule({ source: '0.0.0.0/0' }), buildRule({ source: '2001:db8::/32' }), buildRule({ source: '10.1.0.0/16' })]);
    expect(statuses(chain)).toEqual(['reachable', 'reachable', 'redundant']);
  });

  it('skips disabled rules: they neither match nor cover', () => {
    const first = buildRule({ action: 'deny', source: '10.0.0.0/8' });
    first.isEnabled = false;
    const chain = buildChain([first, buildRule({ source: '10.1.0.0/16' })]);
    expect(statuses(chain)).toEqual(['skipped', 'reachable']);
  });

  it('in unordered sets (security groups) reports the later of two identical rules only', () => {
    const chain = buildChain([buildRule({ source: '10.0.0.0/8' }), buildRule({ source: '10.0.0.0/8' }), buildRule({ source: '10.1.0.0/16' })], false);
    expect(statuses(chain)).toEqual(['reachable', 'redundant', 'redundant']);
  });

  it('decides wide rules after many narrow ones, covered or not', () => {
    const narrow = Array.from({ length: 64 }, (_, index) => buildRule({ action: 'deny', source: `10.0.0.${index * 4}/30` }));
    const covered = buildChain([...narrow, buildRule({ source: '10.0.0.0/24' })]);
    expect(statuses(covered).at(-1)).toBe('shadowed');
    const notCovered = buildChain([...narrow.slice(0, 63), buildRule({ source: '10.0.0.0/24' })]);
    expect(statuses(notCovered).at(-1)).toBe('reachable');
    const catchAll = buildChain([...narrow, buildRule({ action: 'deny' })]);
    expect(statuses(catchAll).at(-1)).toBe('reachable');
  });

  it('reports unknown when a rule needs more work than the budget allows', () => {
    const narrow = Array.from({ length: 64 }, (_, index) => buildRule({ action: 'deny', source: `10.0.0.${index * 4}/30`, protocol: 6, ports: [index, 1000 + index] }));
    const wide = buildRule({ source: '10.0.0.0/24', protocol: 6, ports: [63, 1000] });
    const tight = analyseCoverage(buildChain([...narrow, wide]), { maxBoxesPerRule: 4096, maxWorkPerRule: 20, maxRemainderPieces: 10, maxWorkPerChain: 1e9 });
    expect(tight.results.at(-1)!.status).toBe('unknown');
    expect(tight.results.at(-1)!.reason).toMatch(/operations/);
    expect(analyseCoverage(buildChain([...narrow, wide])).results.at(-1)!.status).toBe('shadowed');
  });

  it('stops a chain whose total work exceeds the chain budget and says where', () => {
    const rules = Array.from({ length: 40 }, (_, index) => buildRule({ protocol: 6, ports: [index, index + 30] }));
    const report = analyseCoverage(buildChain(rules), { maxBoxesPerRule: 4096, maxWorkPerRule: 1e6, maxRemainderPieces: 1e5, maxWorkPerChain: 50 });
    expect(report.stoppedAt).toBeGreaterThan(0);
    expect(report.stoppedAt).toBeLessThan(40);
    expect(report.results).toHaveLength(40);
    expect(report.results.at(-1)).toMatchObject({ status: 'unknown', reason: 'chain budget exhausted' });
  });
});
