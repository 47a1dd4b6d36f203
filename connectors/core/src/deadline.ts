import { VendorError } from './vendor-error';

/**
 * Bounds one vendor request: HTTP clients wait for headers but not always for a body that stops
 * mid-way, and a call that never settles would hold its worker forever. Past `ms` it fails as
 * 'unavailable' with code ETIMEDOUT, which the write paths treat as "may have been applied".
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, vendor: string, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VendorError(vendor, 'unavailable', `${label} gave no complete answer within ${Math.round(ms / 1000)} s`, { code: 'ETIMEDOUT' })), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
