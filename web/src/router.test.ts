import { parseSearchWith } from '@tanstack/react-router';
import { describe, expect, it } from 'vitest';
import { parseSearchValue } from './router.tsx';

describe('search parameters', () => {
  const parse = parseSearchWith(parseSearchValue);
  it('keeps a section such as 9.10 as written', () => {
    expect(parse('?section=9.10&document=CSIM')).toEqual({ section: '9.10', document: 'CSIM' });
    expect(parse('?section=%229.10%22')).toEqual({ section: '9.10' });
  });
  it('still reads numbers, booleans and JSON', () => {
    expect(parse('?year=2024&overdue=true&ids=%5B1%2C2%5D')).toEqual({ year: 2024, overdue: true, ids: [1, 2] });
  });
});
