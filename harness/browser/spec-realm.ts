/**
 * A value a page returned, rebuilt with the spec file's own Array, Object and Date.
 * The driver libraries load once per process, outside Jest's registry (loadOnce), so
 * they build what they return in Node's realm, where `toStrictEqual` would see
 * another class than the spec file's.
 *
 * @example
 *   expect(inSpecRealm(await page.evaluate('[1, 2]'))).toStrictEqual([1, 2]);
 */
export function inSpecRealm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inSpecRealm);
  // Any realm's Date (instanceof would see only the spec's own).
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(Object.getPrototypeOf(value) ?? Object) === null) {
    // A plain object (its prototype is some realm's Object.prototype); other classes are returned as they are.
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, inSpecRealm(entry)]));
  }
  return value;
}
