// @ts-check
/**
 * Jest's module runtime, able to run several wrong solutions of one kata in one
 * spec file, one after the other (harness/verify/wrong-groups.ts plans the groups,
 * harness/jest/wrong-group.driver.cjs is the spec file that runs them).
 *
 * Why: a wrong solution run alone is a spec file that loads its whole module graph
 * afresh (Express, the MongoDB driver, ioredis, supertest… for one test), and that
 * loading was most of the run's CPU. In a group, every patch gets its own registry
 * of the project's modules (the spec, the harness, the patched solution: each
 * patch's own instances, as in a file of its own), while the packages under
 * node_modules are loaded once for the group and shared, except the ones that keep
 * state across apps in the package itself (SHARED_NOT below).
 *
 * A group ends with a control: the unpatched solution, in a registry of its own
 * after every patch has run, must pass each test that caught a patch. If sharing
 * had let one patch's state reach another, the control would fail, and the group's
 * verdicts are then thrown away (the patches run alone, as without groups).
 *
 * Without `testEnvironmentOptions.wrongGroup` it is Jest's runtime, unchanged.
 *
 * Plain CommonJS because Jest loads runtimes without a transform. It reaches into
 * jest-runtime 30's registries and its resolver's caches: pinned with Jest.
 */
const path = require('node:path');
const Runtime = require('jest-runtime').default;
const { setGroupOverlay } = require('./resolver.cjs');
const { GROUP_KEY } = require('./wrong-group-names.cjs');

/**
 * Packages that hold state for every app of the process, in the package itself: each
 * patch loads its own copy. mongoose keeps its models on the package (a second
 * `model('User')` throws); passport its strategies and serializers; prom-client its
 * default registry of metrics.
 */
const SHARED_NOT = ['mongoose', 'passport', 'prom-client'];
const nodeModules = `${path.sep}node_modules${path.sep}`;

/** @param {string} modulePath */
function isShared(modulePath) {
  const at = modulePath.lastIndexOf(nodeModules);
  if (at < 0) return false;
  const rest = modulePath.slice(at + nodeModules.length).split(path.sep);
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0] ?? '';
  return !SHARED_NOT.some((denied) => name === denied || name.startsWith(`${denied}-`));
}

/**
 * @typedef {{ id: string; overlay: string | null; tests: string[][] }} GroupMember
 * @typedef {{ spec: string; patches: GroupMember[]; control: GroupMember }} WrongGroup
 */

class WrongGroupRuntime extends Runtime {
  /** @param {ConstructorParameters<typeof Runtime>} args */
  constructor(...args) {
    super(...args);
    const [config, environment] = args;
    /** @type {WrongGroup | undefined} */
    const group = /** @type {any} */ (config.testEnvironmentOptions).wrongGroup;
    if (!group) return;
    /** Each member's registry, made when the driver loads its spec and entered again when its tests run. */
    this.memberRegistries = new Map();
    /** The node_modules packages loaded so far, for every member's registry. */
    this.sharedModules = new Map();
    const enter = (/** @type {GroupMember} */ member) => this.enterMember(member, environment);
    /** @type {any} */ (environment.global)[GROUP_KEY] = { ...group, enter };
  }

  /**
   * Makes `member` the patch whose modules the spec file sees: its registry, its
   * overlay for the resolver (and for child processes, KATA_WRONG_OVERLAY), and no
   * resolution remembered from another member.
   * @param {GroupMember} member
   * @param {import('@jest/environment').JestEnvironment} environment
   */
  enterMember(member, environment) {
    // jest-runtime's own fields, which its type declarations keep private.
    const { registries, _resolution: resolution } = /** @type {any} */ (this);
    for (const [modulePath, module] of registries.moduleRegistry) {
      if (isShared(modulePath)) this.sharedModules.set(modulePath, module);
    }
    let registry = this.memberRegistries.get(member.id);
    if (!registry) {
      registry = new Map();
      this.memberRegistries.set(member.id, registry);
    }
    for (const [modulePath, module] of this.sharedModules) if (!registry.has(modulePath)) registry.set(modulePath, module);
    registries.moduleRegistry = registry;
    setGroupOverlay(member.overlay);
    // The same request from the same folder lands in another overlay now.
    resolution.cjsCache.clear();
    resolution.esmCache.clear();
    const resolver = resolution.resolver;
    for (const cache of [resolver._moduleNameCache, resolver._modulePathCache, resolver._moduleIDCache]) cache?.clear();
    const env = /** @type {any} */ (environment.global).process.env;
    if (member.overlay) env.KATA_WRONG_OVERLAY = member.overlay;
    else delete env.KATA_WRONG_OVERLAY;
  }

  teardown() {
    // The worker runs other projects' spec files next: they resolve by their own rootDir.
    if (this.memberRegistries) setGroupOverlay(undefined);
    super.teardown();
  }
}

module.exports = WrongGroupRuntime;
