/**
 * Every test comes from one address and a few demo people, far faster than any person, and the
 * counters live in the shared Redis: every test gateway raises the limits (test/rate-limits checks
 * them on a gateway of its own, with a key prefix of its own).
 */
export const TEST_RATE_LIMITS = {
  RATE_LIMIT_PER_PERSON: '1000000',
  RATE_LIMIT_ANONYMOUS_PER_ADDRESS: '1000000',
  RATE_LIMIT_PER_ADDRESS: '1000000',
  LOGIN_FAILURES_PER_ADDRESS: '1000000',
};
