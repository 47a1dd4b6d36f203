import { HttpException } from '@nestjs/common';
import { Client } from 'pg';
import { testServerUrl } from '@test/support/test-database';
import { DeliveryNotStorable } from './delivery-batcher';
import { deliveryNotRecorded, isDatabaseOutage } from './delivery-errors';

/** The error a real query meets, from node-postgres. */
async function errorOf(connectionString: string, sql: string): Promise<unknown> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined); // a terminated backend also emits here
  try {
    await client.connect();
    await client.query(sql);
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error(`expected ${sql} to fail`);
}

const status = (error: unknown) => (error instanceof HttpException ? [error.getStatus(), error.message] : error);

describe('what a sender hears when its delivery was not recorded', () => {
  it('a database that cannot be reached or shuts down is an outage: 503', async () => {
    const refused = await errorOf('postgres://postgres@127.0.0.1:1/postgres', 'SELECT 1');
    const terminated = await errorOf(testServerUrl(), 'SELECT pg_terminate_backend(pg_backend_pid())');
    expect(terminated).toMatchObject({ code: '57P01' });
    // A socket that broke mid-write: its code (EPIPE) is five capitals, like a SQLSTATE, but is not one.
    const broken = Object.assign(new Error('write EPIPE'), { errno: -32, code: 'EPIPE', syscall: 'write' });
    for (const error of [refused, terminated, broken]) {
      expect(isDatabaseOutage(error)).toBe(true);
      expect(status(deliveryNotRecorded(error, 'c'))).toEqual([503, expect.stringMatching(/database is unavailable/)]);
    }
  });

  it('a value Postgres refuses is the delivery’s own fault: 400 naming the body, not an outage', async () => {
    const nul = await errorOf(testServerUrl(), `SELECT '{"subject":"a\\u0000b"}'::jsonb`);
    expect(isDatabaseOutage(nul)).toBe(false);
    const answer = deliveryNotRecorded(new DeliveryNotStorable('22P05', nul as Error), 'c');
    expect(status(answer)).toEqual([400, 'body cannot be stored: unsupported Unicode escape sequence (\\u0000 cannot be converted to text.)']);
  });

  it('a connection removed while its delivery was written is a 404; a bug of ours stays a 500', async () => {
    const removed = await errorOf(testServerUrl(), `SELECT 1/0`); // any refusal; the class decides
    expect(status(deliveryNotRecorded(new DeliveryNotStorable('23503', removed as Error), 'c-1'))).toEqual([404, 'no helpdesk connection with id c-1']);
    const bug = await errorOf(testServerUrl(), 'SELEC 1');
    expect(deliveryNotRecorded(bug, 'c')).toBe(bug);
  });
});
