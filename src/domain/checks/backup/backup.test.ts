import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { backupCheck } from './index.ts';
import { parseFrequency } from './evaluate-backup-plans.ts';

const HEADER = 'system,copies,media,offsite_copies,frequency,rpo,last_backup,last_restore_test';

function buildPlan(fields: Partial<Record<string, string>> = {}): string {
  const plan: Record<string, string> = {
    system: 'core',
    copies: '3',
    media: 'disk;tape;cloud',
    offsite_copies: '1',
    frequency: 'daily',
    rpo: '24h',
    last_backup: '2024-06-30T22:00:00Z',
    last_restore_test: '2024-01-15',
    ...fields,
  };
  return HEADER.split(',')
    .map((column) => `"${plan[column] ?? ''}"`)
    .join(',');
}

async function runBackup(rows: string[], at = '2024-07-01T12:00:00Z') {
  return backupCheck.run([{ name: 'plans.csv', text: `${HEADER}\n${rows.join('\n')}\n` }], { at });
}

describe('parseFrequency', () => {
  it.each([
    ['daily', 1440],
    ['每日', 1440],
    ['每天', 1440],
    ['every 4 hours', 240],
    ['每 4 小時', 240],
    ['4h', 240],
    ['15m', 15],
    ['hourly', 60],
    ['weekly', 10_080],
    ['每週一次', 10_080],
    ['即時', 0],
  ])('%j → %i minutes', (text, minutes) => {
    expect(parseFrequency(text)).toBe(minutes);
  });

  it.each(['sometimes', '', 'every blue moon'])('%j is unreadable', (text) => {
    expect(parseFrequency(text)).toBeUndefined();
  });
});

describe('backup check', () => {
  it('passes a 3-2-1 plan backed up within its RPO and restore-tested this year', async () => {
    const result = await runBackup([buildPlan()]);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it.each([
    [{ copies: '2' }, 'backup.copies', 'warning'],
    [{ copies: '2 份' }, 'backup.copies', 'warning'],
    [{ copies: '3 copies' }, undefined, undefined],
    [{ media: 'NAS; nas' }, 'backup.media', 'warning'],
    [{ offsite_copies: 'no' }, 'backup.offsite', 'warning'],
    [{ offsite_copies: '0' }, 'backup.offsite', 'warning'],
    [{ frequency: 'weekly' }, 'backup.interval-exceeds-rpo', 'fail'],
    [{ rpo: '4h', last_backup: '2024-07-01T10:00:00Z' }, 'backup.interval-exceeds-rpo', 'fail'],
    [{ last_backup: '2024-06-29T10:00:00Z' }, 'backup.stale', 'fail'],
    [{ last_backup: '2024-06-30T20:00:00+08:00' }, undefined, undefined],
    [{ last_backup: 'never' }, 'backup.never-backed-up', 'fail'],
    [{ last_restore_test: '2023-06-30' }, 'backup.restore-test-overdue', 'fail'],
    [{ last_restore_test: '2023-07-01' }, undefined, undefined],
    [{ last_restore_test: '無' }, 'backup.restore-test-missing', 'fail'],
    [{ last_restore_test: '' }, 'backup.restore-test-unknown', 'unknown'],
    [{ rpo: '' }, 'backup.rpo-unknown', 'unknown'],
    [{ copies: '' }, 'backup.copies-unknown', 'unknown'],
    [{ frequency: '' }, 'backup.frequency-unknown', 'unknown'],
    [{ last_backup: '' }, 'backup.last-backup-unknown', 'unknown'],
  ])('%j → %s', async (fields, rule, status) => {
    const result = await runBackup([buildPlan(fields)]);
    expect(result.findings.map((finding) => [finding.rule, finding.status])).toEqual(rule === undefined ? [] : [[rule, status]]);
    for (const finding of result.findings) {
      expect(finding.location).toEqual({ file: 'plans.csv', line: 2, subject: 'core' });
    }
  });

  it('compares date-only backups in whole days and asks for a time when the RPO is shorter than a day', async () => {
    const at = '2024-07-01';
    expect((await runBackup([buildPlan({ last_backup: '2024-06-30' })], at)).findings).toEqual([]);
    expect((await runBackup([buildPlan({ last_backup: '2024-06-29' })], at)).findings.map((finding) => finding.rule)).toEqual(['backup.stale']);
    const hourly = await runBackup([buildPlan({ frequency: 'hourly', rpo: '4h', last_backup: '2024-07-01' })], at);
    expect(hourly.findings.map((finding) => finding.rule)).toEqual(['backup.last-backup-imprecise']);
    const old = await runBackup([buildPlan({ frequency: 'hourly', rpo: '4h', last_backup: '2024-06-28' })], at);
    expect(old.findings.map((finding) => finding.rule)).toEqual(['backup.stale']);
  });

  it('cites the rule each finding breaks', async () => {
    const result = await runBackup([buildPlan({ copies: '1', frequency: 'weekly', last_restore_test: '2022-01-01' })]);
    expect(Object.fromEntries(result.findings.map((finding) => [finding.rule, finding.items]))).toEqual({
      'backup.copies': ['CSIM@112:7.2.c.g'],
      'backup.interval-exceeds-rpo': ['CSIM@112:7.2.c.f'],
      'backup.restore-test-overdue': ['CSIM:7.2.c.e'],
    });
    expect(result.findings[0].message).toContain('3-2-1 備份原則');
    expect(result.stats).toMatchObject({ plans: 1, failing: 1 });
  });

  it.each([
    [{ copies: 'three' }, 'copies'],
    [{ rpo: 'asap' }, 'rpo'],
    [{ frequency: 'sometimes' }, 'frequency'],
    [{ last_backup: 'yesterday' }, 'last_backup'],
    [{ last_restore_test: 'Q1' }, 'last_restore_test'],
  ])('rejects %j with file, line and field', async (fields, field) => {
    const error = await runBackup([buildPlan(), buildPlan(fields)]).catch((caught) => caught);
    expect(error).toBeInstanceOf(CheckInputError);
    expect(error).toMatchObject({ file: 'plans.csv', line: 3 });
    expect(error.message).toContain(field);
  });

  it('never fails other than with CheckInputError on random cells', async () => {
    const cell = fc.string({ maxLength: 20 }).map((text) => text.replace(/"/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(cell, { minLength: 8, maxLength: 8 }), async (cells) => {
        try {
          const result = await backupCheck.run([{ name: 'p.csv', text: `${HEADER}\n${cells.map((value) => `"${value}"`).join(',')}\n` }], { at: '2024-07-01' });
          expect(['pass', 'fail', 'warning']).toContain(result.status);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
