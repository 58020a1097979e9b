/**
 * Conformance of the automated checks against real inputs in ../shared/refdata/checks (or
 * ANJIAN_CHECKS_REFDATA). Skipped, with the reason printed, when that directory is absent.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REFDATA_DIR, formatConformanceReport, runChecksConformance } from './run-checks-conformance.ts';

const dir = process.env.ANJIAN_CHECKS_REFDATA ?? DEFAULT_REFDATA_DIR;
const isPresent = existsSync(dir);
if (!isPresent) {
  console.log(`checks conformance: skipped (${dir} does not exist)`);
}

describe.skipIf(!isPresent)('checks conformance', () => {
  it('meets the expectations of the reference inputs without crashing', async () => {
    const report = await runChecksConformance(dir);
    console.log(formatConformanceReport(report));
    if (report.readme) {
      console.log(`refdata README: ${report.readme.split('\n').find((line) => line.trim() !== '') ?? ''}`);
    }
    // A check may disagree with an expectation (that is what the score measures), but it must never
    // crash on a real input: it either judges it or names the file and line it cannot read.
    expect(report.crashes).toEqual([]);
    expect(report.total).toBeGreaterThan(0);
    if (process.env.ANJIAN_CONFORMANCE_STRICT === '1') {
      expect(report.met).toBe(report.total);
    }
  }, 600_000);
});
