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
  click(selector: string): Promise<void>;
  /** Replaces the value of an input or textarea, as a person typing it would. */
  fill(selector: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** A running (or connected) browser. Tabs are isolated: cookies and storage start empty. */
export interface DriverBrowser {
  readonly engine: BrowserEngine;
  /** True when its pages share one window (WebKit's WebDriver session): one test's pages at a time. */
  readonly onePageAtATime?: boolean;
  newPage(): Promise<DriverPage>;
  /** Closes the browser; a remote one (remote-browser.ts) closes only its own pages. */
  close(): Promise<void>;
}

/** Input types a person does not type into character by character; the value is set, then input and change fire. */
export const setValueTypes = new Set(['date', 'time', 'datetime-local', 'month', 'week', 'color', 'range']);

/** Sets an input's value the way a picker does, for the types above (same in every engine). */
export const setValueScript = (selector: string, value: string) => `(() => {
  const el = document.querySelector(${JSON.stringify(selector)});
  el.focus();
  el.value = ${JSON.stringify(value)};
  if (el.value !== ${JSON.stringify(value)}) throw new Error('the ' + el.type + ' input refused the value ' + ${JSON.stringify(JSON.stringify(value))});
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
})()`;
