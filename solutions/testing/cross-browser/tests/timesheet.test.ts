import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { forEachBrowser, type KataPage } from '../../../../harness/browser';
import { startTimesheetApp, type Settings, type TimesheetApp } from '../src/app';

let app: TimesheetApp;
beforeEach(async () => {
  app = await startTimesheetApp();
});
afterEach(() => app.close());

async function send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; body: { message?: string } }> {
  const response = await fetch(`${app.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

// Data goes in through the API: the browser is for what a person does.
async function book(week: string, project: string, hours: number): Promise<void> {
  expect((await send('POST', '/api/bookings', { week, project, hours })).status).toBe(201);
}

async function configure(settings: Settings): Promise<void> {
  expect((await send('PUT', '/api/settings', settings)).status).toBe(200);
}

// Each engine's locale data decides the spacing around a range's dash: Chromium and
// Firefox write "5 – 11 Jan 2026", WebKit "5–11 Jan 2026". Both are right; the dates are what we test.
const dashSpacingIgnored = (text: string) => text.replace(/\s*–\s*/g, ' – ');

describe('the API', () => {
  // The server's rule, once: no browser can even enter 2025-W53 in its week picker.
  it('refuses a week the year does not have, and says why', async () => {
    const refused = await send('POST', '/api/bookings', { week: '2025-W53', project: 'Apollo', hours: 8 });

    expect(refused).toEqual({ status: 400, body: { code: 'invalid_week', message: 'There is no week 2025-W53: 2025 has 52 weeks.' } });
  });
});

forEachBrowser((browser) => {
  async function openTimesheet() {
    const page = await browser.openPage();
    await page.goto(app.url);
    // Enabled once the page has its settings and bookings.
    await page.waitForEnabled('button', 'Book');
    return page;
  }

  // A picker in Chromium and WebKit, a text field in Firefox: fill() does what a person does in each.
  async function bookInPage(page: KataPage, booking: { week: string; project: string; hours: string }) {
    await page.fill('Week', booking.week);
    await page.fill('Project', booking.project);
    await page.fill('Hours', booking.hours);
    await page.click('button', 'Book');
  }

  async function monthSummary(page: KataPage, month: string): Promise<string> {
    await page.fill('Month', month);
    await page.click('button', 'Show month');
    return page.text('status');
  }

  describe('booking a week', () => {
    it('books hours for an ISO week and shows its Monday to Sunday, across the new year', async () => {
      const page = await openTimesheet();

      await bookInPage(page, { week: '2026-W01', project: 'Apollo', hours: '7.5' });

      expect(await page.text('listitem')).toBe('2026-W01, 29 Dec 2025 – 4 Jan 2026: Apollo, 7.5 h');
    });

    it('books week 53 of a year that has one', async () => {
      const page = await openTimesheet();

      await bookInPage(page, { week: '2026-W53', project: 'Apollo', hours: '8' });

      expect(await page.text('listitem')).toBe('2026-W53, 28 Dec 2026 – 3 Jan 2027: Apollo, 8 h');
    });

    it("shows the server's refusal, and clears it once the booking is corrected", async () => {
      const page = await openTimesheet();

      await bookInPage(page, { week: '2026-W10', project: 'Apollo', hours: '60.25' });
      expect(await page.text('alert')).toBe('Hours must be from 0.25 to 60, in quarter hours.');

      await page.fill('Hours', '60');
      await page.click('button', 'Book');
      expect(dashSpacingIgnored(await page.text('listitem'))).toBe('2026-W10, 2 – 8 Mar 2026: Apollo, 60 h');
      expect(await page.texts('alert')).toEqual([]);
    });
  });

  describe('the bookings list', () => {
    it('shows the bookings that exist in week order, project names as text', async () => {
      const attack = '<img src="x" onerror="window.pwned = true">';
      await book('2026-W05', 'Zeus', 8);
      await book('2026-W02', attack, 4.25);

      const page = await openTimesheet();

      expect((await page.texts('listitem', { atLeast: 2 })).map(dashSpacingIgnored)).toEqual([
        `2026-W02, 5 – 11 Jan 2026: ${attack}, 4.25 h`,
        '2026-W05, 26 Jan – 1 Feb 2026: Zeus, 8 h',
      ]);
      expect(await page.evaluate('window.pwned === undefined')).toBe(true);
    });
  });

  describe('the month summary', () => {
    it('counts each week in the month of its Thursday, with its hours and amount', async () => {
      await book('2025-W52', 'Apollo', 8); // Thursday 25 December: December's
      await book('2026-W01', 'Apollo', 7.5); // Monday 29 December, Thursday 1 January: January's
      await book('2026-W05', 'Zeus', 4); // Thursday 29 January
      await book('2026-W05', 'Apollo', 4);
      await book('2026-W06', 'Zeus', 4); // Monday 2 February
      const page = await openTimesheet();

      expect(await monthSummary(page, '2026-01')).toBe('January 2026: 2 weeks, 15.5 h, £1,550.00');
    });

    it("writes dates, hours and amounts in the team's locale and currency", async () => {
      await configure({ locale: 'de-DE', currency: 'EUR', hourlyRate: 80 });
      await book('2026-W01', 'Apollo', 7.5);
      const page = await openTimesheet();

      expect(await monthSummary(page, '2026-01')).toBe('Januar 2026: 1 week, 7,5 h, 600,00 €');
      expect(await page.text('listitem')).toBe('2026-W01, 29. Dez. 2025 – 4. Jan. 2026: Apollo, 7,5 h');
    });
  });
});
