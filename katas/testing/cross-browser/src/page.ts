/**
 * The page the app serves at `/`: plain HTML and a script, no build step. It is
 * written for three engines, and differs from one to the next in three places:
 *
 * - the "Week" and "Month" fields are `<input type="week">` and `type="month"`:
 *   pickers in Chromium and WebKit, plain text fields in Firefox, where a person
 *   types `2026-W05` (the placeholder says how). The page reads the field's text
 *   in every engine (never `valueAsNumber`/`valueAsDate`, which a text field lacks)
 *   and accepts `2026-W5` and `2026-w05` too;
 * - ISO week arithmetic uses `Temporal` where the engine has it (Chromium,
 *   Firefox) and UTC dates where it does not (WebKit: Safari, WebKitGTK);
 * - dates, hours and amounts are written by the engine's `Intl`, in the team's
 *   locale and currency (`/api/settings`); `formatRange` spaces its dash as each
 *   engine's locale data says ("5 – 11 Jan 2026" in Chromium, "5–11 Jan 2026" in WebKit).
 *
 * What a person sees:
 * - a "Book hours" form (Week, Project, Hours, "Book"), its button enabled once the
 *   page has loaded. A week the year does not have, or text that is no week, is
 *   refused in the alert without asking the server; the server's refusal (hours out
 *   of range…) is shown there too; a booking that succeeds clears the alert;
 * - the "Bookings" list, in week order, one item per booking:
 *   `2026-W01, 29 Dec 2025 – 4 Jan 2026: Apollo, 7.5 h` (project names as text);
 * - a "Month summary" form (Month, "Show month") and its status line:
 *   `January 2026: 2 weeks, 15.5 h, £1,550.00`. A week counts in the month of its
 *   Thursday (the ISO rule), so 2026-W01 (29 December to 4 January) is January's.
 */
export const pageHtml = String.raw`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Timesheet</title>
  <style>[hidden] { display: none !important; } body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; }</style>
</head>
<body>
  <h1>Timesheet</h1>
  <p role="alert" id="error" hidden></p>

  <form id="book" aria-label="Book hours" novalidate>
    <label for="week">Week</label> <input id="week" type="week" placeholder="2026-W05" required>
    <label for="project">Project</label> <input id="project" autocomplete="off" required>
    <label for="hours">Hours</label> <input id="hours" type="number" min="0.25" max="60" step="0.25" required>
    <button type="submit" disabled>Book</button>
  </form>

  <ul aria-label="Bookings" id="bookings"></ul>

  <form id="summary" aria-label="Month summary" novalidate>
    <label for="month">Month</label> <input id="month" type="month" placeholder="2026-01" required>
    <button type="submit" disabled>Show month</button>
  </form>
  <p role="status" id="total" hidden></p>

  <script>
    const $ = (id) => document.getElementById(id);
    const dayMs = 24 * 60 * 60 * 1000;
    const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
    const utcDate = (iso) => new Date(iso + 'T00:00:00Z');

    // ISO weeks: Monday to Sunday, week 1 holds 4 January. Two calendars, one answer.
    const temporalCalendar = {
      mondayOfWeek(year, week) {
        const fourth = Temporal.PlainDate.from({ year, month: 1, day: 4 });
        return fourth.subtract({ days: fourth.dayOfWeek - 1 }).add({ weeks: week - 1 }).toString();
      },
      weeksInYear: (year) => Temporal.PlainDate.from({ year, month: 12, day: 28 }).weekOfYear,
      addDays: (iso, days) => Temporal.PlainDate.from(iso).add({ days }).toString(),
    };
    // For engines without Temporal (WebKit). Everything in UTC, so no daylight-saving hour can shift a day.
    const dateCalendar = {
      mondayOfWeek(year, week) {
        const fourth = Date.UTC(year, 0, 4);
        // getUTCDay() counts Sunday as 0; ISO counts it as day 7 of the week.
        const isoDay = new Date(fourth).getUTCDay() || 7;
        return isoDate(fourth - (isoDay - 1) * dayMs + (week - 1) * 7 * dayMs);
      },
      weeksInYear(year) {
        return Math.round((Date.parse(this.mondayOfWeek(year + 1, 1)) - Date.parse(this.mondayOfWeek(year, 1))) / (7 * dayMs));
      },
      addDays: (iso, days) => isoDate(Date.parse(iso) + days * dayMs),
    };
    // Feature detection, not browser sniffing: the day WebKit ships Temporal, it gets it.
    const calendar = typeof Temporal === 'object' ? temporalCalendar : dateCalendar;

    let settings;
    let bookings = [];

    // The field's text, in every engine: Firefox's week field is a text field
    // (no valueAsNumber), and a person may type 2026-W5 or 2026-w05 there.
    function readWeek(input) {
      const match = /^\s*(\d{4})-?W(\d{1,2})\s*$/i.exec(input.value);
      if (!match) return undefined;
      const year = Number(match[1]);
      const week = Number(match[2]);
      if (week < 1 || week > calendar.weeksInYear(year)) return undefined;
      return year + '-W' + String(week).padStart(2, '0');
    }

    function readMonth(input) {
      const match = /^\s*(\d{4})-(\d{1,2})\s*$/.exec(input.value);
      if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return undefined;
      return match[1] + '-' + match[2].padStart(2, '0');
    }

    function mondayOf(week) {
      const [year, number] = week.split('-W').map(Number);
      return calendar.mondayOfWeek(year, number);
    }

    // The ISO rule: a week belongs to the month (and year) of its Thursday.
    const monthOfWeek = (week) => calendar.addDays(mondayOf(week), 3).slice(0, 7);

    function weekDates(week) {
      const monday = mondayOf(week);
      const format = new Intl.DateTimeFormat(settings.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
      return format.formatRange(utcDate(monday), utcDate(calendar.addDays(monday, 6)));
    }

    const hoursText = (hours) => new Intl.NumberFormat(settings.locale, { maximumFractionDigits: 2 }).format(hours) + ' h';

    function showBookings() {
      $('bookings').replaceChildren(
        ...bookings.map((booking) => {
          const item = document.createElement('li');
          // textContent, never innerHTML: a project name is data, not markup.
          item.textContent = booking.week + ', ' + weekDates(booking.week) + ': ' + booking.project + ', ' + hoursText(booking.hours);
          return item;
        }),
      );
    }

    function showError(message) {
      $('error').textContent = message;
      $('error').hidden = false;
    }
    function clearError() {
      $('error').hidden = true;
      $('error').textContent = '';
    }

    async function api(path, options = {}) {
      const response = await fetch(path, options.body === undefined ? {} : {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.body),
      });
      return { ok: response.ok, body: await response.json() };
    }

    const unreachable = 'The server cannot be reached. Try again.';

    $('book').addEventListener('submit', async (event) => {
      event.preventDefault();
      const week = readWeek($('week'));
      if (!week) {
        showError('Enter the week as YYYY-Www, for example 2026-W05, of a week the year has.');
        return;
      }
      let answer;
      try {
        answer = await api('/api/bookings', { body: { week, project: $('project').value, hours: $('hours').valueAsNumber } });
      } catch {
        showError(unreachable);
        return;
      }
      if (!answer.ok) {
        showError(answer.body.message);
        return;
      }
      clearError();
      // In week order, after the bookings of the same week, as the server keeps them.
      const at = bookings.findIndex((other) => other.week > answer.body.week);
      bookings.splice(at === -1 ? bookings.length : at, 0, answer.body);
      showBookings();
      $('project').value = '';
      $('hours').value = '';
    });

    $('summary').addEventListener('submit', (event) => {
      event.preventDefault();
      const month = readMonth($('month'));
      if (!month) {
        showError('Enter the month as YYYY-MM, for example 2026-01.');
        return;
      }
      clearError();
      const booked = bookings.filter((booking) => monthOfWeek(booking.week) === month);
      const weeks = new Set(booked.map((booking) => booking.week)).size;
      // Quarter hours add up exactly in binary floating point: no rounding needed.
      const hours = booked.reduce((sum, booking) => sum + booking.hours, 0);
      const monthName = new Intl.DateTimeFormat(settings.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcDate(month + '-01'));
      const amount = new Intl.NumberFormat(settings.locale, { style: 'currency', currency: settings.currency }).format(hours * settings.hourlyRate);
      $('total').textContent = monthName + ': ' + weeks + (weeks === 1 ? ' week, ' : ' weeks, ') + hoursText(hours) + ', ' + amount;
      $('total').hidden = false;
    });

    Promise.all([api('/api/settings'), api('/api/bookings')]).then(
      ([settingsAnswer, bookingsAnswer]) => {
        settings = settingsAnswer.body;
        bookings = bookingsAnswer.body;
        showBookings();
        for (const button of document.querySelectorAll('button')) button.disabled = false;
      },
      () => showError(unreachable),
    );
  </script>
</body>
</html>
`;
