/**
 * The most moments any rolling window of `windowMs` holds, as a vendor counting "requests in
 * the last 10 s" sees them: windows (t − windowMs, t], so two moments exactly windowMs apart
 * are never in the same one.
 */
export function busiestWindow(moments: readonly number[], windowMs: number): number {
  const sorted = [...moments].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
