import { describe, it } from '@jest/globals';
// The system under test, complete and correct: your tests must pass against it.
//   import { useBrowser } from '../../../../harness/browser';
//   import { startNotesApp, type NotesApp } from '../src/app';
//   const browser = useBrowser('chromium');   // then, in a test: const page = await browser.openPage();
// Keep the describe() titles: the grader looks for passing tests under them.
// Seed users and notes through the API with fetch; use the page only for what a person does.

describe('signing in', () => {
  // TODO: a refused sign-in shows the server's message, the person can try again, and once in, the page says who is signed in.
  it.todo('shows the refusal in an alert, lets the person try again, and clears the alert once in');
  // TODO: with the server gone (close the app while the page is open), the page says so and the button works again.
  it.todo('says so when the server cannot be reached, and lets the person try again');
});

describe('signing out', () => {
  // TODO: after "Sign out", a reload asks to sign in again (the session ended on the server), with the email remembered; the password is stored nowhere in the browser.
  it.todo('ends the session on the server: a reload asks to sign in again, with the email remembered');
  it.todo('keeps the email in the browser, never the password');
});

describe('the notes list', () => {
  // TODO: existing notes in order, a note added elsewhere appearing live, a note added from the form appearing once, a refused note, a note that looks like HTML.
  it.todo('shows the notes that exist, oldest first');
  it.todo('adds a note from the form once, and shows notes added elsewhere without a reload');
  it.todo("shows the server's message when a note is refused");
  it.todo('shows a note as text, never as markup');
});
