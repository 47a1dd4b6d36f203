import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerParams } from './logging';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('log redaction', () => {
  const params = loggerParams('info').pinoHttp as { redact: { paths: string[]; censor: string } };

  it('replaces credentials and auth headers with [Redacted] in JSON lines', () => {
    const out = capture();
    const logger = pino({ redact: params.redact }, out.stream);
    logger.info({
      req: { headers: { authorization: 'Bearer npsb_secret', 'x-zendesk-webhook-signature': 'sig' } },
      connection: { name: 'Main', credentials: { clientSecret: 'cs' } },
      oauth: { accessToken: 'at', refreshToken: 'rt', password: 'pw' },
    });
    const [line] = out.lines();
    const text = JSON.stringify(line);
    for (const secret of ['npsb_secret', '"sig"', '"cs"', '"at"', '"rt"', '"pw"']) expect(text).not.toContain(secret);
    expect(line.req).toEqual({ headers: { authorization: '[Redacted]', 'x-zendesk-webhook-signature': '[Redacted]' } });
    expect((line.connection as Record<string, unknown>).credentials).toBe('[Redacted]');
  });
});
