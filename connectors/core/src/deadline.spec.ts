import { withDeadline } from './deadline';
import { VendorError } from './vendor-error';

describe('withDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fails a call that has not settled by the deadline as unavailable / ETIMEDOUT', async () => {
    const never = new Promise<string>(() => undefined);
    const result = withDeadline(never, 5_000, 'acme-crm', 'Acme CRM').catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(4_999);
    await jest.advanceTimersByTimeAsync(1);
    const error = (await result) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect([error.vendor, error.kind, error.details.code, error.message]).toEqual(['acme-crm', 'unavailable', 'ETIMEDOUT', 'Acme CRM gave no complete answer within 5 s']);
  });

  it('passes an answer or a failure through untouched and leaves no timer behind', async () => {
    await expect(withDeadline(Promise.resolve('ok'), 5_000, 'acme-helpdesk', 'Acme Helpdesk')).resolves.toBe('ok');
    await expect(withDeadline(Promise.reject(new Error('refused')), 5_000, 'acme-helpdesk', 'Acme Helpdesk')).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });
});
