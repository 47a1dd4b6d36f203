import pino from 'pino';
import { Writable } from 'node:stream';
import { loggedUrl, loggerParams } from './logging';

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

describe('logged request URLs', () => {
  it('keep the route of survey and response links without their token', () => {
    expect(loggedUrl('/s/abc.DEF-123/8')).toBe('/s/[token]/8');
    expect(loggedUrl('/s/abc.DEF-123?via=email')).toBe('/s/[token]?via=email');
    expect(loggedUrl('/r/permalink-token')).toBe('/r/[token]');
    expect(loggedUrl('/api/responses/r/x')).toBe('/api/responses/r/x');
  });

  it('keep the query of a callback without its code and state, other parameters as they came', () => {
    expect(loggedUrl('/oauth/callback/hubspot?code=na1-secret&state=s3cret')).toBe('/oauth/callback/hubspot?code=[redacted]&state=[redacted]');
    expect(loggedUrl('/console/oidc/callback?session_state=x&code=y&iss=https%3A%2F%2Fidp.example')).toBe(
      '/console/oidc/callback?session_state=[redacted]&code=[redacted]&iss=https%3A%2F%2Fidp.example',
    );
    expect(loggedUrl('/api/reports/trend?stream=relational&from=2026-01-01&Token=t')).toBe('/api/reports/trend?stream=relational&from=2026-01-01&Token=[redacted]');
    expect(loggedUrl('/health')).toBe('/health');
    expect(loggedUrl('/x?%E0%A4%A=1&code')).toBe('/x?%E0%A4%A=1&code');
  });

  it('is what the request serializer logs', () => {
    const serializers = (loggerParams('info').pinoHttp as { serializers: { req: (req: { id: string; method: string; url: string }) => { url: string } } }).serializers;
    expect(serializers.req({ id: '1', method: 'GET', url: '/oauth/callback/salesforce?code=abc&state=def' }).url).toBe(
      '/oauth/callback/salesforce?code=[redacted]&state=[redacted]',
    );
  });
});
