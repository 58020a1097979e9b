import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { matchActivity } from './activities.ts';
import { scheduleActivity } from './evaluate-cadence.ts';
import { cadenceCheck } from './index.ts';

async function runCadence(rows: string[], options: Record<string, unknown> = {}) {
  return cadenceCheck.run([{ name: 'activities.csv', text: `activity,date,system\n${rows.join('\n')}\n` }], {
    at: '2024-12-31',
    activities: ['vulnerability-scan'],
    ...options,
  });
}

function failing(result: Awaited<ReturnType<typeof runCadence>>): [string, string][] {
  return result.findings.filter((finding) => finding.status !== 'info').map((finding) => [finding.rule, finding.status]);
}

describe('matchActivity', () => {
  it.each([
    ['弱點掃描', 'vulnerability-scan'],
    ['2024 上半年弱掃', 'vulnerability-scan'],
    ['Vulnerability Scan', 'vulnerability-scan'],
    ['penetration-test', 'penetration-test'],
    ['外部滲透測試', 'penetration-test'],
    ['社交工程演練', 'social-engineering-drill'],
    ['Phishing drill Q3', 'social-engineering-drill'],
    ['防火牆規則檢視', 'firewall-rule-review'],
    ['Firewall rule review', 'firewall-rule-review'],
    ['資訊安全政策評估', 'policy-review'],
    ['風險評估報告', 'risk-assessment'],
    ['久未使用帳號審查', 'unused-account-review'],
    ['系統容量壓力測試', 'capacity-stress-test'],
    ['業務持續運作演練', 'bcp-drill'],
    ['App 檢測', 'app-lab-test'],
    ['資訊安全查核', 'security-audit'],
    ['lunch', undefined],
  ])('%j → %s', (text, id) => {
    expect(matchActivity(text)?.id).toBe(id);
  });
});

describe('scheduleActivity', () => {
  it.each([
    // dates, months, from, at → gaps, last, nextDue, overdue
    [['2024-03-01', '2024-08-20'], 6, '2024-01-01', '2024-12-31', [], '2024-08-20', '2025-02-20', false],
    [['2024-01-10', '2024-08-20'], 6, '2024-01-01', '2024-12-31', [['2024-01-10', '2024-08-20']], '2024-08-20', '2025-02-20', false],
    [['2024-03-01'], 6, '2024-01-01', '2024-12-31', [['2024-03-01', '2024-12-31']], '2024-03-01', '2024-09-01', true],
    [['2023-12-01', '2024-06-01'], 6, '2024-01-01', '2024-12-31', [], '2024-06-01', '2024-12-01', true],
    [['2023-11-01', '2024-06-01', '2024-11-30'], 6, '2024-01-01', '2024-12-31', [['2023-11-01', '2024-06-01']], '2024-11-30', '2025-05-30', false],
    [['2024-08-01'], 12, '2024-01-01', '2024-12-31', [], '2024-08-01', '2025-08-01', false],
    [['2024-08-01'], 6, '2024-01-01', '2024-12-31', [['2024-01-01', '2024-08-01']], '2024-08-01', '2025-02-01', false],
    [['2025-03-01'], 12, '2024-01-01', '2024-12-31', [], undefined, undefined, false],
    [['2025-03-01'], 6, '2024-01-01', '2024-12-31', [['2024-01-01', '2024-12-31']], undefined, undefined, true],
  ])('%j every %i months', (dates, months, from, at, gaps, last, nextDue, isOverdue) => {
    const schedule = scheduleActivity(dates, months, from, at);
    expect(schedule.gaps.filter((gap) => gap.to !== at || !schedule.isOverdue).map((gap) => [gap.from, gap.to])).toEqual(
      (gaps as string[][]).filter((gap) => gap[1] !== at),
    );
    expect(schedule.last).toBe(last);
    expect(schedule.nextDue).toBe(nextDue);
    expect(schedule.isOverdue).toBe(isOverdue);
  });

  it('never reports a gap no longer than the cadence', () => {
    const day = fc.integer({ min: 0, max: 2000 }).map((offset) => new Date(Date.UTC(2020, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(day, { maxLength: 12 }), fc.constantFrom(1, 3, 6, 12), (dates, months) => {
        const schedule = scheduleActivity(dates, months, '2021-01-01', '2024-12-31');
        for (const gap of schedule.gaps) {
          expect(gap.to > gap.dueBy).toBe(true);
        }
        expect(schedule.count).toBe(new Set(dates.filter((date) => date >= '2021-01-01' && date <= '2024-12-31')).size);
      }),
    );
  });
});

describe('cadence check', () => {
  it('passes half-yearly scans and reports the next due date', async () => {
    const result = await runCadence(['弱點掃描,2024-02-15,', '弱點掃描,2024-08-10,']);
    expect(result.status).toBe('pass');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'cadence.schedule', status: 'info', detail: { last: '2024-08-10', nextDue: '2025-02-10' } });
  });

  it('fails an overdue activity and a gap within the period, citing the rule', async () => {
    const result = await runCadence(['弱點掃描,2024-01-05,', '弱點掃描,2024-09-01,'], { at: '2025-04-01', from: '2024-01-01' });
    expect(failing(result)).toEqual([
      ['cadence.gap', 'fail'],
      ['cadence.overdue', 'fail'],
    ]);
    expect(result.findings[0].items).toEqual(['CSIM:9.9']);
    expect(result.findings[1].message).toContain('至少每半年乙次');
    expect(result.findings[1].location).toEqual({ file: 'activities.csv', line: 3, subject: 'vulnerability-scan' });
  });

  it('fails required activities with no record and warns for advisory ones', async () => {
    const result = await runCadence(['弱點掃描,2024-05-01,', '弱點掃描,2024-10-01,'], {
      activities: ['vulnerability-scan', 'risk-assessment', 'social-engineering-drill'],
    });
    expect(failing(result)).toEqual([
      ['cadence.missing', 'warning'],
      ['cadence.missing', 'fail'],
    ]);
    expect(result.findings.find((finding) => finding.status === 'fail')?.items).toEqual(['CSIM:1.3']);
  });

  it('requires the standard activities by default', async () => {
    const result = await cadenceCheck.run([{ name: 'a.csv', text: 'activity,date\n弱點掃描,2024-10-01\n' }], { at: '2024-12-31' });
    const missing = result.findings.filter((finding) => finding.rule === 'cadence.missing').map((finding) => finding.location.subject);
    expect(missing).toEqual([
      'penetration-test',
      'social-engineering-drill',
      'firewall-rule-review',
      'policy-review',
      'risk-assessment',
      'unused-account-review',
      'capacity-stress-test',
      'bcp-drill',
      'app-lab-test',
      'security-audit',
    ]);
  });

  it('tracks each system separately and honours cadence overrides', async () => {
    const rows = ['滲透測試,2024-01-10,web', '滲透測試,2024-11-10,web', '滲透測試,2024-11-10,app'];
    const yearly = await runCadence(rows, { activities: ['penetration-test'] });
    expect(failing(yearly)).toEqual([]);
    const halfYearly = await runCadence(rows, { activities: ['penetration-test'], cadences: { 'penetration-test': 6 } });
    expect(halfYearly.findings.filter((finding) => finding.status === 'fail').map((finding) => [finding.rule, finding.location.subject])).toEqual([
      ['cadence.gap', 'penetration-test / web'],
      ['cadence.gap', 'penetration-test / app'],
    ]);
  });

  it('flags the next due date within 30 days as info and lists unrecognized activities', async () => {
    const result = await runCadence(['弱點掃描,2024-01-31,', '弱點掃描,2024-07-15,', '午餐會,2024-07-15,']);
    expect(result.findings.map((finding) => finding.rule)).toEqual(['cadence.due-soon', 'cadence.unrecognized-activity']);
    expect(result.status).toBe('pass');
  });

  it.each([
    [['弱點掃描,someday,'], 2],
    [['弱點掃描,2024-02-30,'], 2],
    [['弱點掃描,2024-02-01,', ',2024-03-01,'], 3],
  ])('rejects malformed rows %j at line %i', async (rows, line) => {
    await expect(runCadence(rows)).rejects.toMatchObject({ name: 'CheckInputError', file: 'activities.csv', line });
  });

  it.each([
    [{ activities: ['coffee'] }, 'options.activities'],
    [{ cadences: { 'penetration-test': 0 } }, 'options.cadences'],
    [{ from: '2025-06-01' }, 'options.from'],
  ])('rejects bad options %j', async (options, file) => {
    await expect(runCadence(['弱點掃描,2024-10-01,'], options)).rejects.toMatchObject({ name: 'CheckInputError', file });
  });

  it('never fails other than with CheckInputError on random rows', async () => {
    const cell = fc.string({ maxLength: 20 }).map((text) => text.replace(/"/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { maxLength: 5 }), async (rows) => {
        try {
          const result = await runCadence(rows.map((cells) => cells.map((value) => `"${value}"`).join(',')));
          expect(['pass', 'fail', 'warning']).toContain(result.status);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
