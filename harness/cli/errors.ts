/**
 * Every failure a `kata` verb can meet, as a typed error. Verbs throw these;
 * only `main.ts` prints them and chooses the exit code. Each message names the
 * problem and quotes the offending value; `next` is the step to take.
 */
export class KataCliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The next step, phrased as an instruction ("Run `npm run kata -- list` …"). */
    readonly next: string,
    /** Process exit code the entry point uses. */
    readonly status = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownKataError extends KataCliError {
  constructor(
    readonly requested: string,
    readonly suggestions: string[],
  ) {
    super(
      'KATA_UNKNOWN',
      `There is no kata "${requested}".`,
      suggestions.length > 0
        ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}? Run \`npm run kata -- list\` to see every kata.`
        : 'Run `npm run kata -- list` to see every kata.',
      2,
    );
  }
}

export class CatalogMissingError extends KataCliError {
  constructor(readonly file: string, cause: string) {
    super(
      'KATA_CATALOG_MISSING',
      `The kata catalog "${file}" could not be read (${cause}).`,
      'Run the tool from the project folder, or restore it with `git checkout -- katas/catalog.json`.',
    );
  }
}

export class NoSolutionError extends KataCliError {
  constructor(readonly kata: string, readonly folder: string) {
    super(
      'KATA_NO_SOLUTION',
      `Kata "${kata}" has no reference solution at "${folder}".`,
      'Check that `solutions/` came with your clone (`git status solutions`), or pick another kata.',
    );
  }
}

export class StarterManifestMissingError extends KataCliError {
  constructor(readonly kata: string, readonly manifest: string) {
    super(
      'KATA_STARTER_UNKNOWN',
      `Kata "${kata}" has no entry in the starter manifest "${manifest}", so its shipped starter is unknown.`,
      'Authors: run `npx tsx harness/cli/write-starter-manifest.ts` and commit the manifest. Learners: pull the latest dojo.',
    );
  }
}

export class StarterUnavailableError extends KataCliError {
  constructor(readonly kata: string, readonly files: string[]) {
    super(
      'KATA_STARTER_UNAVAILABLE',
      `The shipped starter of "${kata}" cannot be found for ${files.map((f) => `"${f}"`).join(', ')}: ` +
        'this copy has no git history holding it and no snapshot in .kata/starters.',
      'Clone the dojo with git (`git clone …`) and run `npm run kata -- reset ' + kata + '` from that clone.',
    );
  }
}

export class ResetNotConfirmedError extends KataCliError {
  constructor(readonly kata: string) {
    super(
      'KATA_RESET_NOT_CONFIRMED',
      `Reset of "${kata}" needs a confirmation and none was given; nothing was changed.`,
      `Run \`npm run kata -- reset ${kata} --yes\` to restore the starter.`,
    );
  }
}

export class AllSolvedError extends KataCliError {
  constructor() {
    super('KATA_ALL_SOLVED', 'Every kata is solved: there is nothing left to watch.', 'Run `npm run kata -- watch <kata>` to revisit one, or `npm run kata -- dojo` to practise in a group.', 0);
  }
}

export class DojoOptionsError extends KataCliError {
  constructor(option: string, value: string, expected: string) {
    super('KATA_DOJO_OPTIONS', `${option} "${value}" is not valid: expected ${expected}.`, 'Run `npm run kata -- dojo --people "Ana,Bo,Chi" --minutes 5`.', 2);
  }
}

export class JestRunError extends KataCliError {
  constructor(readonly kata: string, readonly output: string) {
    super(
      'KATA_JEST_FAILED',
      `Jest could not run the specs of "${kata}": ${output.trim().split('\n').slice(-6).join('\n')}`,
      `Run \`npx jest katas/${kata}\` to see Jest's full output.`,
    );
  }
}

export class RunTimedOutError extends KataCliError {
  constructor(
    readonly kata: string,
    readonly limitMs: number,
    /** `file › test` the run was on when it was stopped, when known. */
    readonly on: string | undefined,
  ) {
    super(
      'KATA_RUN_TIMED_OUT',
      `The specs of "${kata}" were stopped after ${Math.round(limitMs / 1000)} s without progress${on ? ` while running ${on}` : ''}: probably an infinite loop or a missing response.`,
      'Look for a loop that never ends or a request handler that never answers (no res.send/next), save, and the specs run again. ' +
        'On a slow machine, raise the limit with KATA_RUN_TIME_LIMIT_MS.',
    );
  }
}

export class StepOutOfRangeError extends KataCliError {
  constructor(readonly kata: string, readonly requested: string, readonly count: number) {
    super(
      'KATA_STEP_UNKNOWN',
      count === 0 ? `Kata "${kata}" is not split into steps, so it has no step "${requested}".` : `Kata "${kata}" has no step "${requested}": its steps are 1 to ${count}.`,
      count === 0 ? `Run \`npm run kata -- hint ${kata}\` without --step.` : `Run \`npm run kata -- hint ${kata} --step <1-${count}>\`, or leave --step out for the step you are on.`,
      2,
    );
  }
}

export class SolutionNotConfirmedError extends KataCliError {
  constructor(readonly kata: string) {
    super(
      'KATA_SOLUTION_NOT_CONFIRMED',
      `The solution of "${kata}" was not shown: it gives the kata away, and nobody confirmed.`,
      `Run \`npm run kata -- diff ${kata}\` in a terminal and answer y, or add --yes.`,
    );
  }
}

export class UnknownVerbError extends KataCliError {
  constructor(readonly requested: string, readonly verb: string, readonly katas: string[]) {
    super(
      'KATA_UNKNOWN_VERB',
      `"${requested}" is neither a command nor a kata.`,
      `Did you mean \`npm run kata -- ${verb}\`?${katas.length > 0 ? ` Or the kata ${katas.map((k) => `\`${k}\``).join(' or ')}?` : ''} Run \`npm run kata -- --help\` for every command.`,
      2,
    );
  }
}
