import { describe, expect, it } from '@jest/globals';
import { buildProduct, buildUser, defineFactory, reseedFactories } from './factories';

describe('factories', () => {
  it('builds plausible values and lets the override say what the test is about', () => {
    const admin = buildUser({ role: 'admin' });

    expect(admin.role).toBe('admin');
    expect(admin.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(admin.password.length).toBeGreaterThanOrEqual(8);
  });

  it('keeps e-mails and SKUs unique within a file', () => {
    const emails = new Set(Array.from({ length: 200 }, () => buildUser().email));
    const skus = new Set(Array.from({ length: 200 }, () => buildProduct().sku));

    expect(emails.size).toBe(200);
    expect(skus.size).toBe(200);
  });

  it('repeats the same values for the same seed', () => {
    const buildPoint = defineFactory((f) => ({ x: f.number.int(1000), y: f.number.int(1000) }));

    reseedFactories(42);
    const first = [buildPoint(), buildPoint()];
    reseedFactories(42);
    const second = [buildPoint(), buildPoint()];

    expect(second).toEqual(first);
  });
});
