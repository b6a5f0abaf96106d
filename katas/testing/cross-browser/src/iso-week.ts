/**
 * ISO 8601 weeks on the server, with plain UTC dates (Node 20 has no Temporal).
 * A week runs Monday to Sunday; week 1 is the week holding 4 January (so the one
 * holding the year's first Thursday), and a year has 53 weeks when 28 December
 * falls in a week 53: when 1 January is a Thursday, or a Wednesday in a leap year.
 */

const dayMs = 24 * 60 * 60 * 1000;

/** The Monday of week 1 of `year`, as a UTC timestamp. */
function mondayOfWeekOne(year: number): number {
  const fourthOfJanuary = Date.UTC(year, 0, 4);
  // getUTCDay() counts Sunday as 0; ISO counts it as day 7 of the week.
  const isoDay = new Date(fourthOfJanuary).getUTCDay() || 7;
  return fourthOfJanuary - (isoDay - 1) * dayMs;
}

/** 52 or 53. */
export function weeksInYear(year: number): number {
  return Math.round((mondayOfWeekOne(year + 1) - mondayOfWeekOne(year)) / (7 * dayMs));
}

/** An ISO week as `YYYY-Www` (what `<input type="week">` sends), or undefined when there is no such week. */
export function parseIsoWeek(text: unknown): { year: number; week: number } | undefined {
  const match = typeof text === 'string' ? /^(\d{4})-W(\d{2})$/.exec(text) : null;
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  return week >= 1 && week <= weeksInYear(year) ? { year, week } : undefined;
}
