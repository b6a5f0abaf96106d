/**
 * `npm run wrong -- <kata>…`: runs the named katas' wrong solutions (all of them
 * when none is named) and says, per patch, which test caught it or that it
 * survived. The same check `npm run verify` makes, for an author at work.
 */
import { findKata } from '../cli/project';
import { kataIds } from '../catalog';
import { projectRoot } from '../config';
import { stylerFor } from '../output/style';
import { findWrongSolutions, runWrongSolutions, scoreByKata, type WrongOutcome } from './wrong-solutions';

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
  const run = await runWrongSolutions(projectRoot, wrongs);

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
  console.log(style.dim(`\n${wrongs.length} wrong solution(s) in ${(run.elapsedMs / 1000).toFixed(1)} s`));
  process.exitCode = run.outcomes.every((o) => o.status === 'caught') ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
