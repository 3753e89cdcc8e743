// The passwords the tests use, in a module of their own so the stack's teardown can look for them in the logs.

/** The password test people choose at their first sign-in (it satisfies the password policy). */
export const CHOSEN_PASSWORD = 'Chosen-Pass-2026!';

/** The temporary password seeded people get; `login()` replaces it with CHOSEN_PASSWORD at first sign-in. */
export const SEED_TEMPORARY_PASSWORD = 'Seeded-Temp-Pass-2026!';
