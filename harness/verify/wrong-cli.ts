/**
 * `npm run wrong -- <kata>…`: runs the named katas' wrong solutions (all of them
 * when none is named) and says, per patch, which test caught it or that it
 * survived. The same check `npm run verify` makes, for an author at work. It
 * records the test that caught each patch in `wrong/caught-by.json` (commit it:
 * verify tries that test first); `--all-specs` ignores the recorded tests.
 */
import { findKata } from '../cli/project';
import { kataIds } from '../catalog';
import { projectRoot } from '../config';
import { stylerFor } from '../output/style';
import { writeCatchers } from './catchers';
import { catchersFound, findWrongSolutions, runWrongSolutions, scoreByKata, type WrongOutcome } from './wrong-solutions';

async function main(): Promise<void> {
  const style = stylerFor(process.stdout);
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const katas = requested.length > 0 ? requested.map((name) => findKata({ cwd: projectRoot }, name).id) : kataIds();
  const wrongs = findWrongSolutions(projectRoot, katas);
  if (wrongs.length === 0) {
    console.log(`No wrong solutions in ${katas.map((k) => `solutions/${k}/wrong/`).join(', ')}: add <behaviour-broken>.patch files there.`);
    return;
  }
  console.log(style.dim(`… ${wrongs.length} wrong solution(s) of ${katas.join(', ')}`));
  // --all-specs: ignore the recorded catchers and run every spec, to find the first catcher afresh.
  const run = await runWrongSolutions(projectRoot, wrongs, { useCatchers: !process.argv.includes('--all-specs') });
  // Record which test caught each patch, so that verify can try that test first (catchers.ts).
  const found = catchersFound(projectRoot, run.outcomes);
  for (const kata of katas) {
    writeCatchers(projectRoot, kata, found.get(kata) ?? {}, wrongs.filter((w) => w.kata === kata).map((w) => w.name));
  }

  const mark: Record<WrongOutcome['status'], string> = {
    caught: style.green('caught  '),
    survived: style.red('SURVIVED'),
    'does-not-apply': style.red('NO APPLY'),
    'not-run': style.red('NOT RUN '),
  };
  for (const outcome of run.outcomes) {
    console.log(`${mark[outcome.status]} ${outcome.kata} ✗ ${outcome.name} ${style.dim(`(${(outcome.specMs / 1000).toFixed(1)} s of specs)`)}`);
    console.log(style.dim(`         ${outcome.detail.split('\n').join('\n         ')}`));
    if (outcome.status !== 'caught') console.log(`         ${outcome.description.split('\n').join('\n         ')}`);
  }
  console.log('');
  for (const [kata, score] of scoreByKata(run.outcomes)) console.log(`${kata}: ${score.caught}/${score.written} caught`);
  if (run.jestOutput) console.log(`\n${run.jestOutput.trimEnd().split('\n').slice(-40).join('\n')}`);
  const byCatcher = run.outcomes.filter((o) => o.byCatcher).length;
  console.log(style.dim(`\n${wrongs.length} wrong solution(s) in ${(run.elapsedMs / 1000).toFixed(1)} s, ${byCatcher} caught by the test recorded in wrong/caught-by.json`));
  process.exitCode = run.outcomes.every((o) => o.status === 'caught') ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
