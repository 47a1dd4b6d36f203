import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LogLevel } from './config';

/** Paths pino replaces with [Redacted]: credentials must never reach a log line. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zendesk-webhook-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.privateKey',
  '*.apiToken',
  '*.credentials',
  'credentials',
];

/** Query parameters that carry a secret: an OAuth or sign-in callback's code and state, tokens, signatures. */
const SECRET_PARAMS = /^(code|state|session_state|token|id_token|access_token|refresh_token|key|signature|sig)$/i;

/**
 * A request's URL as it is logged: survey links (/s/…) and response links (/r/…, a follow-up
 * task's link that opens a response without signing in) carry a token in the path, and OAuth and
 * single sign-on callbacks a code and state in the query; the route stays, the secrets do not.
 */
export function loggedUrl(url: string): string {
  const path = url.replace(/^\/(s|r)\/[^/?#]+/, '/$1/[token]');
  const query = path.indexOf('?');
  if (query < 0) return path;
  const params = path
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // an undecodable name is kept as it came
      }
      return SECRET_PARAMS.test(decoded) && pair.length > name.length ? `${name}=[redacted]` : pair;
    });
  return `${path.slice(0, query)}?${params.join('&')}`;
}

/** JSON lines with a request id per request (taken from X-Request-Id when a proxy sets one). */
export function loggerParams(level: LogLevel): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && given.length <= 128 ? given : randomUUID();
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggedUrl(req.url) }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
    },
  };
}
