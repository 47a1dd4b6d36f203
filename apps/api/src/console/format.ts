/** How the console writes numbers: an NPS with its sign and up to one decimal, rates as whole percents. */
const NPS = new Intl.NumberFormat('en', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const COUNT = new Intl.NumberFormat('en');
const PERCENT = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

export const formatNps = (value: number) => NPS.format(value);
export const formatCount = (value: number) => COUNT.format(value);
export const formatPercent = (value: number) => PERCENT.format(value);

/** "3 min 4 s", "850 ms": how long something took. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
