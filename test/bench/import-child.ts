import { importFromCommandLine } from '@apps/api/src/import.cli';

/**
 * The import of `npm run bench:import`, in a process of its own as `npm run import` runs it (the
 * same function, the same arguments): prints one JSON line with the summary's counts, the import's
 * duration and this process's peak resident memory.
 */
async function main(): Promise<void> {
  const summary = await importFromCommandLine(process.argv.slice(2));
  const seconds = (summary.finishedAt!.getTime() - summary.startedAt.getTime()) / 1000;
  // resourceUsage().maxRSS is in kilobytes: the process's peak, start-up included.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ status: summary.status, error: summary.error, counts: summary.counts, seconds, peakRssMb })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
