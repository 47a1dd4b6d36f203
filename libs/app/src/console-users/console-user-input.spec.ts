import { checkNewConsoleUser } from './console-user-input';

describe('checkNewConsoleUser: what a new console user needs', () => {
  it('accepts an email, a password of 12 characters or more and a role (admin by default), trimming the email', () => {
    expect(checkNewConsoleUser({ email: '  dana@acme.example ', password: 'twelve chars' })).toEqual({
      user: { email: 'dana@acme.example', password: 'twelve chars', role: 'admin' },
    });
    expect(checkNewConsoleUser({ email: 'lee@acme.example', password: 'x'.repeat(256), role: 'viewer' })).toMatchObject({ user: { role: 'viewer' } });
  });

  it('names every problem by field, in words that complete "<field> …"', () => {
    expect(checkNewConsoleUser({ email: 'dana', password: 'short', role: 'owner' })).toEqual({
      problems: {
        email: 'must be an email address like name@example.com',
        password: 'must be at least 12 characters (it has 5)',
        role: 'must be one of admin, viewer',
      },
    });
    expect(checkNewConsoleUser({ email: undefined, password: undefined })).toEqual({ problems: { email: 'is required', password: 'is required' } });
    expect(checkNewConsoleUser({ email: 'a@b.example', password: 'x'.repeat(257) })).toEqual({ problems: { password: 'must be at most 256 characters' } });
  });

  it('counts characters, not UTF-16 units: 12 emoji are 12 characters', () => {
    expect(checkNewConsoleUser({ email: 'a@b.example', password: '🔑'.repeat(11) })).toEqual({ problems: { password: 'must be at least 12 characters (it has 11)' } });
    expect(checkNewConsoleUser({ email: 'a@b.example', password: '🔑'.repeat(12) })).toMatchObject({ user: {} });
  });
});
