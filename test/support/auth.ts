/**
 * Credentials for tests of a running Loom. Every API call a test makes goes with `authHeaders()`,
 * so the suite runs with authentication on, as a hospital would run Loom.
 * The server takes this token as its bootstrap admin through `LOOM_ADMIN_TOKEN` (see startTestLoom).
 */
export const TEST_ADMIN_TOKEN = 'loom-test-admin-token-0123456789abcdef';

/** `Authorization: Bearer …` for the bootstrap admin, merged over `extra`. */
export function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...extra };
}
