import type { BrowserEngine } from './engines';

/**
 * What each engine's driver must do for the common page API (kata-page.ts):
 * the locating and waiting happen in the page (page-script.js), so a driver
 * only navigates, evaluates, and acts on one marked element with real input.
 */
export interface DriverPage {
  goto(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page; a promise is awaited. */
  evaluate(expression: string): Promise<unknown>;
  /** A real click (pointer events) on the element, in the middle of its box. */
  click(target: Target): Promise<void>;
  /** Replaces the value of an input or textarea, as a person typing it would. */
  fill(target: Target, value: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * An element the page script has found, waited for and marked (kata-page.ts), scrolled
 * into view: a driver acts on it at once. Handing the drivers a point and the input's
 * type, rather than a selector for their own element lookup, spares each page the
 * driver library's utility script (Playwright's and Puppeteer's are injected into every
 * page at its first element action): 0.12 CPU-s of Chromium's and 0.2 of Firefox's a page.
 */
export interface Target {
  /** `[data-kata-target="…"]`: the marked element. */
  selector: string;
  /** The middle of its box, in CSS pixels from the viewport's top left corner. */
  x: number;
  y: number;
  /** An input's `type` (`text`, `week`…), or null for another element. */
  type: string | null;
}

/**
 * How long a browser may take to start before its start counts as hung: a hang guard,
 * far above a start on a busy 2-core machine (Firefox 11.5 s, WebKit 21 s, measured while
 * verify's two reference runs and two busy loops shared it), never a figure a slow start
 * should come near. A browser's start is charged to its spec file's hooks, not to a test.
 */
export const browserStartLimitMs = 120_000;

/** A running (or connected) browser. Tabs are isolated: cookies and storage start empty. */
export interface DriverBrowser {
  readonly engine: BrowserEngine;
  /** How its start's time went, by phase (`profile 0.3 s, launch 4.1 s`), for a report of a slow start. */
  readonly startPhases?: string;
  /** True when its pages share one window (WebKit's WebDriver session): one test's pages at a time. */
  readonly onePageAtATime?: boolean;
  newPage(): Promise<DriverPage>;
  /** Closes the browser; a remote one (remote-browser.ts) closes only its own pages. */
  close(): Promise<void>;
}

/** Input types a person does not type into character by character; the value is set, then input and change fire. */
export const setValueTypes = new Set(['date', 'time', 'datetime-local', 'month', 'week', 'color', 'range']);

/**
 * Focuses a text input or textarea and selects its text, so that what is typed next
 * replaces it (a person's select-all); where the input type has no selection (email and
 * number inputs in some engines), it is emptied instead.
 */
const selectTextScript = (selector: string) => `(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  el.focus();
  el.select();
  let whole = false;
  try { whole = el.selectionStart === 0 && el.selectionEnd === el.value.length; } catch {}
  if (!whole) el.value = '';
})()`;

/** What a driver's page does with the keyboard, for fillWithKeyboard(). */
export interface Keyboard {
  evaluate(expression: string): Promise<unknown>;
  /** Deletes the selected text (one key). */
  deleteSelection(): Promise<void>;
  /** Enters text where the caret is. */
  typeText(text: string): Promise<void>;
}

/**
 * A fill as a person does it, for drivers that send input at the page (Chromium's and
 * Firefox's): a picker's value set for the types above, else the text selected and typed
 * over, or deleted for an empty value.
 */
export async function fillWithKeyboard({ selector, type }: Target, value: string, keyboard: Keyboard): Promise<void> {
  if (setValueTypes.has(type ?? '')) return void (await keyboard.evaluate(setValueScript(selector, value)));
  await keyboard.evaluate(selectTextScript(selector));
  if (value === '') await keyboard.deleteSelection();
  else await keyboard.typeText(value);
}

/** Sets an input's value the way a picker does, for the types above (same in every engine). */
export const setValueScript = (selector: string, value: string) => `(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  el.focus();
  el.value = ${JSON.stringify(value)};
  if (el.value !== ${JSON.stringify(value)}) throw new Error('the ' + el.type + ' input refused the value ' + ${JSON.stringify(JSON.stringify(value))});
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
})()`;
