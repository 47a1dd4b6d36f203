/**
 * `pending`, or a rejection with the signal's reason as soon as `signal` aborts (for a source
 * that does not listen to its signal). One listener per call, removed when `pending` settles:
 * racing every item against one long-lived promise (`Promise.race([item, aborted])`) would keep
 * every item it ever returned reachable until that promise settles, a whole listing's pages.
 */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
