import { describe, it } from '@jest/globals';
import { browserEngines, useGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/: they must pass against src/ (which is correct) in
 * every engine, and fail against each mutant in mutants/, a copy of src/ with one
 * bug. Some bugs live in one engine only: only tests run in all three catch them.
 * One browser per engine serves every run (the real app and each mutant), and
 * Express, which no mutant changes, is loaded once for all of them.
 */
const grader = useGrader(__dirname, { browsers: browserEngines, sharedPackages: ['express'] });

describe('1. Tests that pass on the real app, in every engine', () => {
  it('every test file loads and every test passes against src/', () => grader.expectGreenOnApp());
  for (const engine of browserEngines) {
    it(`has passing tests in ${engine} (inside forEachBrowser)`, () => grader.expectTestsUnder(engine));
  }
});

describe('2. Booking a week', () => {
  it('has tests under "booking a week"', () => grader.expectTestsUnder('booking a week'));
  it('has tests under "the API"', () => grader.expectTestsUnder('the API'));
  grader.itCatchesMutants([
    'temporal-assumed',
    'fallback-sunday-as-day-zero',
    'week-read-from-value-as-number',
    'week-53-refused',
    'week-53-in-every-year',
    'quarter-hours-refused',
    'sixty-hours-refused',
    'refusal-not-shown',
    'alert-kept-after-booking',
  ]);
});

describe('3. The bookings list', () => {
  it('has tests under "the bookings list"', () => grader.expectTestsUnder('the bookings list'));
  grader.itCatchesMutants(['bookings-not-loaded', 'bookings-in-booking-order', 'project-rendered-as-html']);
});

describe("4. The month summary, in the team's locale", () => {
  it('has tests under "the month summary"', () => grader.expectTestsUnder('the month summary'));
  grader.itCatchesMutants(['month-read-from-value-as-date', 'week-counted-by-its-monday', 'hours-rounded-in-summary', 'amount-not-localised', 'dates-always-in-english']);
});
