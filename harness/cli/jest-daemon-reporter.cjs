// @ts-check
/** Streams each test's result to the watch process as soon as it is known (see jest-daemon.cjs). */
class StreamReporter {
  /** @param {unknown} _test @param {{ fullName: string, status: string }} testCase */
  onTestCaseResult(_test, testCase) {
    process.send?.({ id: Number(process.env.KATA_CURRENT_RUN), case: { name: testCase.fullName, status: testCase.status } });
  }
}
module.exports = StreamReporter;
