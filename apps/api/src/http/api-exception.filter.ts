import { ArgumentsHost, BadRequestException, Catch, ConflictException, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { VendorError } from '@connectors/core/src';
import { answerConsoleError, isConsolePath } from '../console/console-errors';

/** Unique indexes whose violation is the admin's input, with the field it names. */
const UNIQUE_FIELDS: Record<string, string> = {
  connections_name_uq: 'name: another connection already has this name (names are unique, ignoring case)',
};

/** Postgres refusals of a value (SQLSTATE class 22, 23, 54) a request sent: the caller's to fix. */
const VALUE_ERRORS = new Set(['22P02', '22P05', '22007', '22008', '22001', '22003', '22021', '22023', '54000']);

function vendorAnswer(error: VendorError): HttpException {
  const body = (status: number, message: string) => ({
    statusCode: status,
    error: 'Vendor error',
    message: [message],
    vendor: error.vendor,
    vendorStatus: error.details.status ?? null,
    vendorCode: error.details.code ?? null,
  });
  switch (error.kind) {
    case 'auth':
      return new HttpException(body(HttpStatus.FAILED_DEPENDENCY, `credentials: ${error.vendor} refused them: ${error.message}`), HttpStatus.FAILED_DEPENDENCY);
    case 'rate_limited':
      return new HttpException(body(HttpStatus.TOO_MANY_REQUESTS, `${error.vendor}: rate limited, try again later: ${error.message}`), HttpStatus.TOO_MANY_REQUESTS);
    case 'unavailable': {
      const timeout = error.details.code === 'ETIMEDOUT' || error.details.code === 'ESOCKETTIMEDOUT';
      const status = timeout ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
      return new HttpException(body(status, `${error.vendor}: ${timeout ? 'did not answer in time' : 'is unavailable'}: ${error.message}`), status);
    }
    default:
      // 'invalid' / 'not_found': the vendor refused what we asked (a permission, a missing object).
      return new HttpException(body(HttpStatus.FAILED_DEPENDENCY, `${error.vendor}: ${error.message}`), HttpStatus.FAILED_DEPENDENCY);
  }
}

function databaseAnswer(error: QueryFailedError): HttpException | undefined {
  const driver = error.driverError as { code?: string; constraint?: string; table?: string; message?: string };
  if (driver.code === '23505') {
    return new ConflictException([UNIQUE_FIELDS[driver.constraint ?? ''] ?? `${driver.table ?? 'record'}: one with these values already exists`]);
  }
  if (driver.code === '23503') return new ConflictException([`${driver.table ?? 'record'}: refers to a record that does not exist (or is still referred to)`]);
  if (driver.code && VALUE_ERRORS.has(driver.code)) return new BadRequestException([`value: ${driver.message ?? 'cannot be stored'}`]);
  return undefined;
}

/** Express could not decode a path parameter (`%E0`): Nest answers it with the bare message. */
function pathDecodeAnswer(exception: HttpException): HttpException | undefined {
  const response = exception.getResponse() as { message?: unknown };
  const message = typeof response === 'object' ? response.message : response;
  if (typeof message === 'string' && message.startsWith('Failed to decode param')) {
    return new BadRequestException([`path: a parameter is not valid percent-encoding (${message.slice('Failed to decode param '.length)})`]);
  }
  return undefined;
}

/**
 * The one place errors become answers. HTTP exceptions pass as they are; a vendor's refusal on a
 * request path (connection test, setup) answers in the vendor's words (424, 429, 502 or 504);
 * Postgres refusing a value answers 400/409 naming it. Anything else is a bug: the base filter
 * logs it with its stack and answers 500 with a generic message. On console paths the answer is
 * a page instead (console/console-errors.tsx).
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    // Console paths are read by people in a browser: their errors are pages (sign-in redirect, 403, 404…), never JSON.
    if (isConsolePath(host.switchToHttp().getRequest<Request>().path)) return answerConsoleError(exception, host);
    let answer: HttpException | undefined;
    if (exception instanceof HttpException) answer = pathDecodeAnswer(exception) ?? exception;
    else if (exception instanceof QueryFailedError) answer = databaseAnswer(exception);
    else if (exception instanceof VendorError) {
      answer = vendorAnswer(exception);
      const waitMs = exception.details.retryAfterMs;
      if (exception.kind === 'rate_limited' && waitMs !== undefined) {
        host
          .switchToHttp()
          .getResponse<Response>()
          .setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      }
    }
    super.catch(answer ?? exception, host);
  }
}
