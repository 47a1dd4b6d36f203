import { BadRequestException, ConflictException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DeliveryNotStorable, sqlState } from './delivery-batcher';

/** How long a sender should wait before sending again while the database is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 30;

/** Network failures of the connection to Postgres (node's codes) and pg-pool's own words for them. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_WORDS = /connection terminated|timeout exceeded when trying to connect|not queryable|terminating connection/i;

/**
 * Whether Postgres could not be reached or would not serve (connection exception 08, insufficient
 * resources 53, shut down or starting up 57P0x, system error 58), as opposed to refusing a value.
 */
export function isDatabaseOutage(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return /^(08|53|57P0|58)/.test(state);
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || (error instanceof Error && CONNECTION_WORDS.test(error.message));
}

/**
 * A delivery that was verified but not recorded, as the sender should hear it: its own values
 * refused → 4xx naming what (sending it again will not help); the database down → 503 (send again
 * later); anything else stays an error of ours (500).
 */
export function deliveryNotRecorded(error: unknown, connectionId: string): unknown {
  if (error instanceof HttpException) return error;
  if (error instanceof DeliveryNotStorable) {
    const { refusal, sqlState: state } = error;
    // The connection was removed between its check and the INSERT.
    if (state === '23503') return new NotFoundException(`no helpdesk connection with id ${connectionId}`);
    const words = `${refusal.message}${refusal.detail ? ` (${refusal.detail})` : ''}`;
    if (state.startsWith('23')) return new ConflictException(`the delivery conflicts with a recorded one: ${words}`);
    // jsonb parse errors say "JSON data, line 1: …": the body; otherwise a header-derived value.
    const field = /JSON/.test(refusal.where ?? '') ? 'body' : 'delivery (body or headers)';
    return new BadRequestException(`${field} cannot be stored: ${words}`);
  }
  if (isDatabaseOutage(error)) {
    return new ServiceUnavailableException('the database is unavailable: this delivery was not recorded, send it again in a minute');
  }
  return error;
}
