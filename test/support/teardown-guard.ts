/**
 * A global teardown whose failure fails the run. Vitest 4 prints an error thrown by a global
 * teardown ("Error during close") and still exits 0, so the log check for secrets could find a leak
 * and CI pass: a failing teardown sets the exit code itself (test/teardown-guard.test.ts proves it).
 */
export function failRunOnError(teardown: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await teardown();
    } catch (error) {
      process.exitCode = 1;
      throw error;
    }
  };
}
