import path from 'node:path';
import type { Catcher } from './catchers';

/**
 * Wrong solutions of one kata whose recorded catchers sit in one spec file run as a
 * group: one Jest spec file that loads the kata's spec once per patch, sharing the
 * packages under node_modules between them (harness/jest/wrong-group-runtime.cjs
 * says how, and why that is safe to trust: the group's control). A patch alone
 * spent most of its CPU loading those packages for a single test.
 *
 * At most GROUP_SIZE patches a group: each patch's modules stay loaded until the
 * file ends, and smaller groups spread over the workers.
 */
export const GROUP_SIZE = 8;

/** The id of the control's describe block: the unpatched solution, run after the group's patches. */
export const CONTROL_ID = '✓ control: the solution itself';

export interface GroupedPatch<T> {
  item: T;
  /** The describe block of this patch in the group's spec file. */
  id: string;
  overlay: string;
  catcher: Catcher;
}

export interface WrongGroup<T> {
  /** Repository-relative path of the kata spec file the group runs. */
  spec: string;
  patches: GroupedPatch<T>[];
}

/**
 * Splits patches into groups (two or more patches whose catchers name a test in the
 * same spec file) and the rest, which run alone: a catcher with no test (the file
 * failed outside its tests) runs its whole file, and a group of one gains nothing.
 */
export function planGroups<T>(patches: { item: T; name: string; overlay: string; catcher: Catcher }[]): { groups: WrongGroup<T>[]; alone: T[] } {
  const bySpec = new Map<string, GroupedPatch<T>[]>();
  const alone: T[] = [];
  for (const { item, name, overlay, catcher } of patches) {
    if (catcher.test.length === 0) {
      alone.push(item);
      continue;
    }
    const spec = bySpec.get(catcher.spec) ?? [];
    spec.push({ item, id: `✗ ${name}`, overlay, catcher });
    bySpec.set(catcher.spec, spec);
  }
  const groups: WrongGroup<T>[] = [];
  for (const [spec, members] of bySpec) {
    if (members.length < 2) {
      alone.push(...members.map((m) => m.item));
      continue;
    }
    // Evenly sized: 9 patches make groups of 5 and 4, not 8 and 1.
    const count = Math.ceil(members.length / GROUP_SIZE);
    for (let i = 0; i < count; i++) {
      groups.push({ spec, patches: members.filter((_, at) => at % count === i) });
    }
  }
  return { groups, alone };
}

/** What the group's project hands its runtime, environment and reporter (testEnvironmentOptions.wrongGroup). */
export function groupOptions<T>(cwd: string, group: WrongGroup<T>): object {
  const tests = new Map(group.patches.map(({ catcher }) => [JSON.stringify(catcher.test), catcher.test]));
  return {
    spec: path.join(cwd, group.spec),
    patches: group.patches.map(({ id, overlay, catcher }) => ({ id, overlay, tests: [catcher.test] })),
    control: { id: CONTROL_ID, overlay: null, tests: [...tests.values()] },
  };
}
