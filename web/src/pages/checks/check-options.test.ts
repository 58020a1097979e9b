import { describe, expect, it } from 'vitest';
import { buildRunOptions, parseExtraOptions } from './check-options.ts';

describe('free check options (key=value per line)', () => {
  it('reads booleans, numbers, JSON and strings, skipping blank lines and comments', () => {
    const text = 'warningDays=90\nprobe=false\n\n# cadence\nactivities=vulnerability-scan,penetration-test\ncadences={"vulnerability-scan": 3}\nfrom = 2025-01-01';
    expect(parseExtraOptions(text)).toEqual({
      options: {
        warningDays: 90, probe: false, activities: 'vulnerability-scan,penetration-test', cadences: { 'vulnerability-scan': 3 }, from: '2025-01-01',
      },
      badLines: [],
    });
  });

  it('names the lines that are not key=value or hold broken JSON', () => {
    expect(parseExtraOptions('ok=1\njust text\ncadences={"a": }\n=5').badLines).toEqual([2, 3, 4]);
  });
});

describe('run options per check', () => {
  const fields = { at: '2025-06-30', hostname: ' www.example.com ', level: 'L2' as const, withF: true, reviewedAt: '2025-01-15', format: 'iptables' };

  it('sends only what each check reads', () => {
    expect(buildRunOptions('tls', fields)).toEqual({ format: 'iptables', at: '2025-06-30', hostname: 'www.example.com' });
    expect(buildRunOptions('app-report', { level: 'L3' })).toEqual({ level: 'L3', withF: false });
    expect(buildRunOptions('firewall', fields)).toEqual({ format: 'iptables', at: '2025-06-30', reviewedAt: '2025-01-15' });
    expect(buildRunOptions('eol', { at: '2025-06-30' }, { warningDays: 30 })).toEqual({ at: '2025-06-30', warningDays: 30 });
  });

  it('lets the free list override a field', () => {
    expect(buildRunOptions('tls', { hostname: 'a.example' }, { hostname: 'b.example' })).toEqual({ hostname: 'b.example' });
  });
});
