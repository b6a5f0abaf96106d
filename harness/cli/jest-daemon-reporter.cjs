// @ts-check
/**
 * Streams each test's start and result to the watch process as soon as they
 * are known (see jest-daemon.cjs): the start tells a run stopped by its time
 * limit which spec it was on.
 */
const path = require('node:path');

/** @param {object} message */
function send(message) {
  process.send?.({ id: Number(process.env.KATA_CURRENT_RUN), ...message });
}

class StreamReporter {
  /** @param {{ path: string }} test */
  onTestFileStart(test) {
    send({ started: { file: path.relative(process.cwd(), test.path).split(path.sep).join('/'), name: '' } });
  }

  /** @param {{ path: string }} test @param {{ fullName: string }} info */
  onTestCaseStart(test, info) {
    send({ started: { file: path.relative(process.cwd(), test.path).split(path.sep).join('/'), name: info.fullName } });
  }

  /** @param {unknown} _test @param {{ fullName: string, status: string }} testCase */
  onTestCaseResult(_test, testCase) {
    send({ case: { name: testCase.fullName, status: testCase.status } });
  }
}
module.exports = StreamReporter;
