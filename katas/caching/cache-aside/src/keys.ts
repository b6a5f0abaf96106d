/**
 * The cache's key scheme, in one place. Every key is namespaced and versioned:
 * bump CACHE_VERSION when the cached shape changes, and the new code never
 * reads an entry the old code wrote (the old ones expire on their own).
 */
export const CACHE_VERSION = 'v1';
const namespace = `products:${CACHE_VERSION}`;

export const keys = {
  /** One product, or the remembered fact that it does not exist. */
  item: (id: string) => `${namespace}:item:${id}`,
  /** One list answer, under the list generation it was computed in. */
  list: (generation: string, name: string) => `${namespace}:list:${generation}:${name}`,
  /** A counter every write bumps, so that every cached list is left behind at once. */
  listGeneration: `${namespace}:list-generation`,
  /**
   * A counter every write of this entry bumps (missing means 0), so a load that
   * started before the write can tell, when it comes to store what it read, that
   * what it read is already stale.
   */
  generation: (key: string) => `${key}:generation`,
};
