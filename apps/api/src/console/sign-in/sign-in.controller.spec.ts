import { safeNext } from './sign-in.controller';

describe('safeNext: where sign-in may send the browser afterwards', () => {
  it('keeps a console page with its query', () => {
    expect(safeNext('/console')).toBe('/console');
    expect(safeNext('/console/operations/write-backs?show=waiting')).toBe('/console/operations/write-backs?show=waiting');
  });

  it('never leaves the console: other sites, other paths, protocol-relative and backslash tricks go to the dashboard', () => {
    for (const next of [
      'https://evil.example/console',
      '//evil.example/console',
      '/\\evil.example',
      '/console\\..\\x',
      '/consolex',
      '/api/admin-keys',
      '',
      undefined,
      42,
      ['/console'],
    ]) {
      expect([next, safeNext(next)]).toEqual([next, '/console']);
    }
  });

  it('does not send a person back to sign in or out', () => {
    expect(safeNext('/console/login?next=%2Fconsole')).toBe('/console');
    expect(safeNext('/console/logout')).toBe('/console');
  });
});
