import { describe, it } from '@jest/globals';
// The system under test, complete and correct: your tests must pass against it, in every engine.
//   import { forEachBrowser } from '../../../../harness/browser';
//   import { startTimesheetApp, type TimesheetApp } from '../src/app';
//   forEachBrowser((browser) => { … });   // the same tests, once in chromium, firefox and webkit
//   then, in a test: const page = await browser.openPage(); await page.goto(app.url);
// Keep the describe() titles: the grader looks for passing tests under them (inside forEachBrowser is fine).
// Seed bookings and settings through the API with fetch; use the page only for what a person does.

describe('the API', () => {
  // TODO: a week the year does not have (2025-W53) is refused with a 400 and a message saying why. No browser can type it into a picker: test it here, once.
  it.todo('refuses a week the year does not have, and says why');
});

describe('booking a week', () => {
  // TODO: move this block into forEachBrowser. Book through the form and check the list item: the week, its Monday to Sunday, the project, the hours. Pick weeks where calendars go wrong: across the new year, week 53.
  it.todo('books hours for an ISO week and shows its Monday to Sunday, across the new year');
  it.todo('books week 53 of a year that has one');
  // TODO: a refused booking shows the server's message; once corrected, the booking is listed and the alert is gone.
  it.todo("shows the server's refusal, and clears it once the booking is corrected");
});

describe('the bookings list', () => {
  // TODO: bookings that exist (seeded through the API) are listed in week order when the page opens, project names shown as text, never as markup.
  it.todo('shows the bookings that exist in week order, project names as text');
});

describe('the month summary', () => {
  // TODO: "Show month" counts each week in the month of its Thursday, with its hours and amount; and everything follows the team's locale and currency (PUT /api/settings).
  it.todo('counts each week in the month of its Thursday, with its hours and amount');
  it.todo("writes dates, hours and amounts in the team's locale and currency");
});
