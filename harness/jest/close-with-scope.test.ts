import { beforeAll, describe, expect, it } from '@jest/globals';
import { closeWithScope } from './close-with-scope';

const closed: string[] = [];
const resource = (name: string) => ({ close: () => void closed.push(name) });

describe('a resource opened inside a test', () => {
  it('stays open while the test runs', () => {
    closeWithScope(resource('opened in a test'));

    expect(closed).toEqual([]);
  });

  it('is closed once that test ends', () => {
    expect(closed).toEqual(['opened in a test']);
  });
});

// Jest keeps the last test's name in expect's state until the next test starts: a block's
// beforeAll that runs after other tests must still count as the file's, not as a test's.
describe('a resource opened in the beforeAll of a block that runs after other tests', () => {
  beforeAll(() => {
    closeWithScope(resource('opened in a later beforeAll'));
  });

  it('stays open through the first test of the block', () => {
    expect(closed).not.toContain('opened in a later beforeAll');
  });

  it('and through the next: it closes when the file ends', () => {
    expect(closed).not.toContain('opened in a later beforeAll');
  });
});
