import { INestApplicationContext } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';

/**
 * What a person starting the service needs (its URLs, the first admin key), framed so it stands
 * out among the JSON log lines around it.
 */
export function frameBanner(lines: string[]): string {
  const rule = '═'.repeat(Math.min(100, Math.max(40, ...lines.map((line) => line.length + 4))));
  return ['', rule, ...lines.map((line) => `  ${line}`), rule, '', ''].join('\n');
}

/**
 * Writes `text` after every log line emitted so far. pino writes to stdout asynchronously, so
 * text written straight to process.stdout can overtake the startup logs still queued and end up
 * above or among them; appended to the destination of the logger Nest's startup logs go through
 * (nestjs-pino's logger outside a request), it comes out after them, in order.
 */
export async function writeAfterLogs(app: INestApplicationContext, text: string): Promise<void> {
  let destination: { write?: (chunk: string) => unknown } | undefined;
  try {
    const logger = (await app.resolve(PinoLogger)).logger as unknown as Record<symbol, typeof destination>;
    destination = logger[symbols.streamSym];
  } catch {
    destination = undefined; // no nestjs-pino in this app: stdout is all there is
  }
  if (typeof destination?.write === 'function') destination.write(text);
  else process.stdout.write(text);
}
