import { describe, it } from '@jest/globals';
import { useGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/: they must pass against src/ (which is correct)
 * and fail against each mutant in mutants/, a copy of src/ with one bug.
 * One Chromium serves every run (the real app and each mutant), and Express
 * and Socket.IO, which no mutant changes, are loaded once for all of them.
 */
const grader = useGrader(__dirname, { browsers: ['chromium'], sharedPackages: ['express', 'socket.io'] });

describe('1. Tests that pass on the real app', () => {
  it('every test file loads and every test passes against src/', () => grader.expectGreenOnApp());
});

describe('2. Signing in', () => {
  it('has tests under "signing in"', () => grader.expectTestsUnder('signing in'));
  grader.itCatchesMutants(['wrong-password-accepted', 'error-never-shown', 'button-stuck-disabled', 'error-kept-after-success', 'network-failure-not-shown']);
});

describe('3. The live list, shown as text', () => {
  it('has tests under "the notes list"', () => grader.expectTestsUnder('the notes list'));
  grader.itCatchesMutants(['existing-notes-not-loaded', 'notes-listed-newest-first', 'live-update-missing', 'own-note-shown-twice', 'blank-note-accepted', 'note-rendered-as-html']);
});

describe('4. Signing out, and what the browser keeps', () => {
  it('has tests under "signing out"', () => grader.expectTestsUnder('signing out'));
  grader.itCatchesMutants(['sign-out-keeps-session', 'password-kept-in-storage']);
});
