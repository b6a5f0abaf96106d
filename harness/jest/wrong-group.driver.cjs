// @ts-check
/**
 * The spec file of a grouped wrong-solution run (see wrong-group-runtime.cjs): loads
 * the group's kata spec once per patch, each inside a describe block named by the
 * patch, with that patch's modules, then once more for the control (the unpatched
 * solution). Jest runs the blocks one after the other; each block first makes its
 * patch current again, since its tests require packages lazily.
 *
 * A spec that throws while loading against a patch (a patched module that fails at
 * import) fails only that patch's block, by a test named LOAD_FAILED that
 * harness/jest/outcome-reporter.cjs reports as the file failing to run, as it would
 * alone.
 *
 * Plain CommonJS: it runs as it is, from the project's testMatch.
 */
const { beforeAll, describe, it } = require('@jest/globals');
const { GROUP_KEY, LOAD_FAILED } = require('./wrong-group-names.cjs');

const group = /** @type {any} */ (globalThis)[GROUP_KEY];
if (!group) throw new Error('wrong-group.driver.cjs runs only in a grouped wrong-solution project (wrong-group-runtime.cjs).');

for (const member of [...group.patches, group.control]) {
  describe(member.id, () => {
    beforeAll(() => group.enter(member));
    group.enter(member);
    try {
      require(group.spec);
    } catch (error) {
      it(LOAD_FAILED, () => {
        throw error;
      });
    }
  });
}
