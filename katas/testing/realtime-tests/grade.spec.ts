import { describe, it } from '@jest/globals';
import { useGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/: they must pass against src/ (which is correct)
 * and fail against each mutant in mutants/, a copy of src/ with one bug.
 */
const grader = useGrader(__dirname);

describe('1. Tests that pass on the real app', () => {
  it('every test file loads and every test passes against src/', () => grader.expectGreenOnApp());
});

describe('2. Who may connect and join', () => {
  it('has tests under "connecting" and "rooms"', () => {
    grader.expectTestsUnder('connecting');
    grader.expectTestsUnder('rooms');
  });
  grader.itCatchesMutants([
    'unauthenticated-connection-accepted',
    'join-without-authorization',
    'message-to-unjoined-room',
    'leave-ignored',
    'history-oldest-first',
  ]);
});

describe('3. Who receives a message, and when it is acknowledged', () => {
  it('has tests under "messages"', () => grader.expectTestsUnder('messages'));
  grader.itCatchesMutants([
    'broadcast-echoes-to-sender',
    'broadcast-to-every-room',
    'sender-taken-from-payload',
    'blank-text-accepted',
    'max-length-exclusive',
    'ack-before-persistence',
    'failed-save-still-broadcast',
  ]);
});

describe('4. Reconnection', () => {
  it('has tests under "reconnection"', () => grader.expectTestsUnder('reconnection'));
  grader.itCatchesMutants(['missed-messages-lost']);
});
