// StrykerJS on the unit-tests kata's pricing module with this kata's tests: from the
// project's root, `npx stryker run katas/testing/mutation-testing/stryker.config.mjs`.
// The grader runs the same options (harness/grader/stryker-options.cjs); editing this
// file changes your runs, not your grade.
import { strykerOptions } from '../../../harness/grader/stryker-options.cjs';

export default strykerOptions({
  kata: 'katas/testing/mutation-testing',
  mutate: ['katas/testing/unit-tests/src/pricing.ts'],
  tempDir: '.kata/stryker-tmp',
  reports: { json: '.kata/mutation/mutation-testing.json', html: '.kata/mutation/mutation-testing.html' },
});
