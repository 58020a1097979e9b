import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import { buildBenchFirms, measureApplicability } from './bench.ts';
import { evaluateApplicability } from './evaluate.ts';

describe('applicability performance', () => {
  const items = loadCatalog().flatMap((version) => version.items);

  // The speed targets (< 50 ms, < 5 s) are judged by `npm run bench`, not by a timed test.
  it('measures every verdict of 120 firms × 5 years over the whole catalog', () => {
    const result = measureApplicability(items, { firmCount: 120, years: 5 });
    expect(result.itemCount).toBeGreaterThan(500);
    expect(result.fleetVerdicts).toBe(120 * 5 * items.length);
  });

  it('the bench firms cover different verdict patterns', () => {
    const patterns = new Set(
      buildBenchFirms(24).map((firm) =>
        evaluateApplicability(items, firm, { date: '2024-12-31' })
          .map((result) => result.verdict[0])
          .join(''),
      ),
    );
    expect(patterns.size).toBeGreaterThan(10);
  });
});
