import { describe, expect, it, jest } from '@jest/globals';

describe('loadOnce', () => {
  it('loads a package once per process: module registries of their own (as spec files have) get the same instance', () => {
    const load = () => {
      let loaded: unknown;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { loadOnce } = require('./load-once') as typeof import('./load-once');
        loaded = loadOnce('escape-html');
      });
      return loaded;
    };
    expect(load()).toBe(load());
  });

  it('loads outside Jest\'s registry: the spec file\'s own require gets another instance', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadOnce } = require('./load-once') as typeof import('./load-once');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(loadOnce('escape-html')).not.toBe(require('escape-html'));
  });
});
