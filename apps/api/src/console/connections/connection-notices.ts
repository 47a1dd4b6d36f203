import type { ConnectionTestResult } from '@connectors/core/src';

/** A connection test in one sentence, for the notice after a form. */
export function testNotice(vendor: string, test: ConnectionTestResult): string {
  if (test.ok) return `The test passed: ${vendor} accepted the credentials, and every mapped field can be read.`;
  if (!test.authenticated) return `${vendor} refused the credentials: see the test below.`;
  if (!test.missingFields.length) return `The test did not pass: ${test.message ?? 'no reason given'}.`;
  return `Signed in, but ${test.missingFields.length} mapped field(s) could not be read: see the test below.`;
}
