import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-down.interceptor';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('what counts as "the database is down" on a survey page', () => {
  it.each([
    ['a refused connection (Postgres stopped)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a full pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['the server shutting down (57P01), wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command'))],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300')],
  ])('%s: yes', (_, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ['a unique violation (23505)', new QueryFailedError('INSERT', [], pgError('23505'))],
    ['a NUL character in text (22021)', new QueryFailedError('INSERT', [], pgError('22021'))],
    ['a bug in our code', new TypeError("Cannot read properties of undefined (reading 'score')")],
    ['nothing at all', undefined],
  ])('%s: no', (_, error) => expect(isDatabaseUnavailable(error)).toBe(false));
});
