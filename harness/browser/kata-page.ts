import fs from 'node:fs';
import path from 'node:path';
import { readBrowserConfig } from '../config';
import type { DriverPage, Target } from './driver';

/** A role from WAI-ARIA, as the page's elements have them implicitly or explicitly. */
export type Role =
  | 'alert'
  | 'button'
  | 'checkbox'
  | 'combobox'
  | 'dialog'
  | 'form'
  | 'heading'
  | 'link'
  | 'list'
  | 'listitem'
  | 'radio'
  | 'region'
  | 'searchbox'
  | 'spinbutton'
  | 'status'
  | 'textbox'
  | 'time'
  | (string & {});

/** An accessible name or a text: a string matches exactly (spaces squashed), a RegExp as a pattern. */
export type TextMatch = string | RegExp;

/**
 * The page API every engine offers, the same in Chromium, Firefox and WebKit.
 * Every call waits for what it needs (the element visible, enabled for a click,
 * editable for a fill) by watching the DOM, and fails after `KATA_BROWSER_TIMEOUT`
 * with what the page showed instead. There is nothing to sleep for.
 */
export interface KataPage {
  /** Opens `url` and waits for its load event. */
  goto(url: string): Promise<void>;
  /** Types `value` into the form control labelled `label` (date-like inputs take `YYYY-MM-DD`…). */
  fill(label: TextMatch, value: string): Promise<void>;
  /** Clicks the element with that role and accessible name, once it is visible, enabled and uncovered (scrolled into view first). */
  click(role: Role, name: TextMatch): Promise<void>;
  /** The visible text of the one element with that role (and name), once it is visible. */
  text(role: Role, name?: TextMatch): Promise<string>;
  /** The texts of every visible element with that role, once there are at least `atLeast` (default 0: now). */
  texts(role: Role, options?: { atLeast?: number }): Promise<string[]>;
  /** Waits until the page's visible text contains `text` (or matches the RegExp). */
  waitForText(text: TextMatch): Promise<void>;
  /** Waits until the element with that role and name is visible and enabled. */
  waitForEnabled(role: Role, name: TextMatch): Promise<void>;
  /** Evaluates an expression in the page (for what no person could see, such as a global an injected script set). */
  evaluate<T = unknown>(expression: string): Promise<T>;
  close(): Promise<void>;
}

const pageScript = fs.readFileSync(path.join(__dirname, 'page-script.js'), 'utf8');

const serialise = (match: TextMatch | undefined) =>
  match instanceof RegExp ? { regexp: match.source, flags: match.flags } : match;

let marks = 0;

/** Wraps a driver's page in the common API. */
export function kataPage(driver: DriverPage): KataPage {
  const timeout = readBrowserConfig().timeoutMs;
  let closing: Promise<void> | undefined;
  const query = async (q: Record<string, unknown>) => {
    const result = (await driver.evaluate(`(${pageScript.replace(/^[\s\S]*?(?=function kataQuery)/, '')})(${JSON.stringify({ timeout, ...q })})`)) as {
      text: string;
      texts: string[];
      x: number;
      y: number;
      type: string | null;
    };
    return result;
  };
  const marked = async (q: Record<string, unknown>): Promise<Target> => {
    const mark = `k${process.pid}-${++marks}`;
    const { x, y, type } = await query({ ...q, mark });
    return { selector: `[data-kata-target="${mark}"]`, x, y, type };
  };
  return {
    goto: (url) => driver.goto(url),
    async fill(label, value) {
      await driver.fill(await marked({ by: 'label', label: serialise(label), state: 'editable' }), value);
    },
    async click(role, name) {
      await driver.click(await marked({ by: 'role', role, name: serialise(name), state: 'enabled', uncovered: true }));
    },
    async text(role, name) {
      return (await query({ by: 'role', role, name: serialise(name), state: 'visible' })).text;
    },
    async texts(role, { atLeast = 0 } = {}) {
      return (await query({ by: 'role', role, all: true, atLeast })).texts;
    },
    async waitForText(text) {
      await query({ by: 'text', text: serialise(text) });
    },
    async waitForEnabled(role, name) {
      await query({ by: 'role', role, name: serialise(name), state: 'enabled' });
    },
    evaluate: async <T>(expression: string) => (await driver.evaluate(expression)) as T,
    // Idempotent: a test may close a page itself before useBrowser's afterEach does.
    close: () => (closing ??= driver.close()),
  };
}
