import fs from 'node:fs';
import path from 'node:path';
import escapeHtml from 'escape-html';
import type { DashboardState } from './dojo';

/** Past this many specs the list flows into two columns, so a 20-spec kata fits 1280×720. */
const MANY_SPECS = 10;
/** Announcements shown: the newest last. */
const NEWS_LINES = 3;

let template: string | undefined;

/** `05:00`: minutes and seconds left, seconds rounded up as the page's countdown does. */
export function formatTimer(remainingMs: number): string {
  const seconds = Math.ceil(Math.max(0, remainingMs) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The projector page with the session's state already in its markup: the
 * first paint shows the timer, the roles and the specs before any script runs
 * or Socket.io connects (a projector's browser can be slow to do either). The
 * page's script then keeps the same elements up to date from the pushed state.
 */
export function renderDashboardPage(state: DashboardState): string {
  // Read once, on the first page asked for, as the server did before it rendered the page.
  template ??= fs.readFileSync(path.join(__dirname, 'dashboard.html'), 'utf8');
  const remaining = state.ended ? 0 : state.remainingMs;
  const fill: Record<string, string> = {
    documentTitle: escapeHtml(state.kata.title ? `Dojo: ${state.kata.title}` : 'Kata dojo'),
    title: escapeHtml(state.kata.title || 'Waiting for the dojo…'),
    kata: escapeHtml(state.kata.id),
    timer: formatTimer(remaining),
    timerClass: Math.ceil(remaining / 1000) <= 30 ? ' low' : '',
    driver: escapeHtml(state.driver),
    navigator: escapeHtml(state.navigator),
    turn: escapeHtml(`Turn ${state.turn} · ${state.people.join(' → ')}`),
    endedHidden: state.ended ? '' : ' hidden',
    news: state.announcements
      .slice(-NEWS_LINES)
      .map((line) => `<div>${escapeHtml(line)}</div>`)
      .join(''),
    progress: `${state.passed}/${state.total}`,
    running: state.running ? 'running specs…' : '',
    barWidth: state.total ? `${(100 * state.passed) / state.total}%` : '0%',
    specsClass: state.tests.length > MANY_SPECS ? ' many' : '',
    specs: state.tests.map((t) => `<li class="${escapeHtml(t.status)}" title="${escapeHtml(t.name)}">${escapeHtml(t.name)}</li>`).join(''),
    // Read by the page's script: plain numbers and booleans, never text from a spec.
    remainingMs: String(Math.round(remaining)),
    ended: String(state.ended),
    manySpecs: String(MANY_SPECS),
    newsLines: String(NEWS_LINES),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
    const value = fill[key];
    if (value === undefined) throw new Error(`dashboard.html: no value for ${placeholder}`);
    return value;
  });
}
