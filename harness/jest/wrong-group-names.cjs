// @ts-check
/**
 * Names shared by a grouped wrong-solution run's runtime, driver spec file,
 * environment and reporter (see wrong-group-runtime.cjs). Plain CommonJS: the
 * driver loads it inside Jest, the others outside.
 */
module.exports = {
  /** Where the runtime hands the group to the driver, on the spec file's global object. */
  GROUP_KEY: Symbol.for('kata.wrongGroup'),
  /** The test a patch's block fails by when its spec threw while loading. */
  LOAD_FAILED: '(the spec file failed to load)',
};
