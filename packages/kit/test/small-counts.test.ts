import { describe, expect, it } from 'vitest';
import { CountScalar, shownCount, shownRate, smallCountThreshold, type Identity } from '../src/index.ts';

const person = (permissions: string[]): Identity => ({ userId: 'u', tenantId: 't', facilityId: null, roles: ['analyst'], permissions });
const analyst = person([]);
const admin = person(['reports.exact_counts']);

describe('small-cell suppression', () => {
  it('shows 1–4 as "<5" to callers without exact counts; 0 and 5+ as they are', () => {
    expect([0, 1, 4, 5, 120].map((n) => shownCount(analyst, n, 5))).toEqual([0, '<5', '<5', 5, 120]);
    expect([0, 1, 4, 5].map((n) => shownCount(admin, n, 5))).toEqual([0, 1, 4, 5]);
    expect(shownCount(null, 3, 5)).toBe('<5');
    expect(shownCount(analyst, 9, 10)).toBe('<10');
  });

  it('gives no rate over a suppressed whole', () => {
    expect(shownRate(analyst, 1, 2, 5)).toBeNull();
    expect(shownRate(analyst, 3, 6, 5)).toBe(0.5);
    expect(shownRate(admin, 1, 2, 5)).toBe(0.5);
    expect(shownRate(admin, 0, 0, 5)).toBeNull();
  });

  it('reads its threshold from SMALL_COUNT_THRESHOLD (default 5), and Count serializes only counts or "<N"', () => {
    expect(smallCountThreshold({})).toBe(5);
    expect(smallCountThreshold({ SMALL_COUNT_THRESHOLD: '11' })).toBe(11);
    expect(smallCountThreshold({ SMALL_COUNT_THRESHOLD: 'x' })).toBe(5);
    expect(CountScalar.serialize(3)).toBe(3);
    expect(CountScalar.serialize('<5')).toBe('<5');
    expect(() => CountScalar.serialize(-1)).toThrow();
    expect(() => CountScalar.serialize('five')).toThrow();
  });
});
