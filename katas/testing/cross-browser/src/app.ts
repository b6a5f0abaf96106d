import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { parseIsoWeek, weeksInYear } from './iso-week';
import { pageHtml } from './page';

export interface Booking {
  id: string;
  /** An ISO week, `YYYY-Www`. */
  week: string;
  project: string;
  hours: number;
}

/** How the team's page writes dates, hours and amounts. */
export interface Settings {
  /** A BCP 47 locale, such as `en-GB` or `de-DE`. */
  locale: string;
  /** An ISO 4217 code, such as `GBP` or `EUR`. */
  currency: string;
  /** What an hour is billed, in `currency`. */
  hourlyRate: number;
}

export interface TimesheetApp {
  /** `http://127.0.0.1:<port>`: the page is at `/`, the API under `/api`. */
  url: string;
  close(): Promise<void>;
}

export const defaultSettings: Settings = { locale: 'en-GB', currency: 'GBP', hourlyRate: 100 };

/**
 * A team's timesheet: hours booked per project and ISO week, and a month's
 * summary. One page (`/`, see page.ts) and the JSON API it uses:
 *
 * - `GET /api/settings` → the settings (`en-GB`, `GBP`, 100 until changed).
 * - `PUT /api/settings` `{ locale, currency, hourlyRate }` → 200 the settings;
 *   400 `{ code: 'invalid_settings', message }` for a locale or currency the
 *   server does not know, or a rate that is not a number from 0 to 10000.
 * - `GET /api/bookings` → every booking, in week order (then in booking order).
 * - `POST /api/bookings` `{ week, project, hours }` → 201 the booking; 400 with
 *   `invalid_week` for a week that is not `YYYY-Www` or that the year does not
 *   have (2026 has a week 53, 2025 does not), `invalid_project` for a blank name
 *   or one over 80 characters, `invalid_hours` for hours that are not a multiple
 *   of a quarter hour from 0.25 to 60.
 */
export async function startTimesheetApp(): Promise<TimesheetApp> {
  let settings: Settings = { ...defaultSettings };
  const bookings: Booking[] = [];

  const app = express();
  app.use(express.json({ limit: '10kb' }));

  app.get('/', (_req, res) => {
    res.type('html').send(pageHtml);
  });

  app.get('/api/settings', (_req, res) => {
    res.json(settings);
  });

  app.put('/api/settings', (req, res) => {
    const { locale, currency, hourlyRate } = (req.body ?? {}) as Record<string, unknown>;
    if (!isKnownLocale(locale) || !isKnownCurrency(currency) || typeof hourlyRate !== 'number' || !(hourlyRate >= 0 && hourlyRate <= 10_000)) {
      res.status(400).json({ code: 'invalid_settings', message: 'A known locale (such as en-GB), a currency code (such as GBP) and an hourly rate from 0 to 10000 are required.' });
      return;
    }
    settings = { locale: Intl.getCanonicalLocales(locale)[0]!, currency, hourlyRate };
    res.json(settings);
  });

  app.get('/api/bookings', (_req, res) => {
    res.json(bookings);
  });

  app.post('/api/bookings', (req, res) => {
    const { week, project, hours } = (req.body ?? {}) as Record<string, unknown>;
    const isoWeek = parseIsoWeek(week);
    if (!isoWeek) {
      const year = typeof week === 'string' ? /^(\d{4})-W\d{2}$/.exec(week)?.[1] : undefined;
      const message = year
        ? `There is no week ${String(week)}: ${year} has ${weeksInYear(Number(year))} weeks.`
        : 'The week must be an ISO week such as 2026-W05.';
      res.status(400).json({ code: 'invalid_week', message });
      return;
    }
    if (typeof project !== 'string' || project.trim() === '' || project.trim().length > 80) {
      res.status(400).json({ code: 'invalid_project', message: 'A project name is required, at most 80 characters.' });
      return;
    }
    // Quarter hours only: 7.25 is a booking, 7.3 is a typo.
    if (typeof hours !== 'number' || !Number.isInteger(hours * 4) || hours < 0.25 || hours > 60) {
      res.status(400).json({ code: 'invalid_hours', message: 'Hours must be from 0.25 to 60, in quarter hours.' });
      return;
    }
    const booking: Booking = { id: randomUUID(), week: week as string, project: project.trim(), hours };
    // Stable: bookings of the same week stay in the order they were made.
    const at = bookings.findIndex((other) => other.week > booking.week);
    bookings.splice(at === -1 ? bookings.length : at, 0, booking);
    res.status(201).json(booking);
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

function isKnownLocale(locale: unknown): locale is string {
  if (typeof locale !== 'string') return false;
  try {
    // Throws a RangeError for what is not a BCP 47 tag; an unknown but well-formed one falls through to the check.
    return Intl.NumberFormat.supportedLocalesOf(Intl.getCanonicalLocales(locale)).length === 1;
  } catch {
    return false;
  }
}

function isKnownCurrency(currency: unknown): currency is string {
  return typeof currency === 'string' && Intl.supportedValuesOf('currency').includes(currency);
}
