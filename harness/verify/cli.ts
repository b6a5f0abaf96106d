import os from 'node:os';
import { slowBrowserCallMs } from '../browser/slow-calls';
import { projectRoot } from '../config';
import { stylerFor } from '../output/style';
import { formatKataTable, type Finding } from './kata-table';
import { verify } from './verify';

const describeFinding: Record<Finding['kind'], string> = {
  'solution-test-fails': 'fails against the solution',
  'starter-test-passes': 'passes against the untouched starter (it proves nothing)',
  'skipped-test': 'is skipped (skip/todo hides a spec)',
  'suite-error': 'did not run',
  'kata-without-specs': 'is in katas/catalog.json but has no specs',
  'count-mismatch': 'ran a different number of tests against starter and solution',
  'wrong-solution-survives': 'survives: every spec passes against this wrong solution',
  'wrong-solution-does-not-apply': 'cannot be checked',
  'wrong-solution-not-run': 'did not run',
  'sweep-finding': 'answered a hostile request badly',
};

async function main(): Promise<void> {
  const style = stylerFor(process.stdout);
  const result = await verify({
    cwd: projectRoot,
    onStep: (name) => console.log(style.dim(`… ${name}`)),
  });

  console.log('');
  for (const step of result.steps) {
    const mark = step.ok ? style.green('ok  ') : style.red('FAIL');
    const cpu = step.cpuSeconds === undefined ? '' : `${step.cpuSeconds.toFixed(0).padStart(5)} CPU-s`;
    console.log(`${mark} ${step.name.padEnd(44)} ${(step.elapsedMs / 1000).toFixed(1).padStart(6)} s ${cpu}  ${style.dim(step.command)}`);
  }
  console.log('');
  for (const line of formatKataTable(result.rows)) console.log(line);

  if (result.slowBrowserCalls.length > 0) {
    // A note, not a failure: where a browser grading's time went on this machine.
    console.log(`\nBrowser calls slower than ${slowBrowserCallMs() / 1000} s in the gradings (${result.slowBrowserCalls.length}):`);
    for (const call of result.slowBrowserCalls) console.log(style.dim(`  ${call}`));
  }

  for (const step of result.steps.filter((s) => !s.ok)) {
    console.log(`\n${style.red(`── ${step.name} failed (${step.command}) ──`)}`);
    console.log(tail(step.output ?? '', 60));
  }
  if (result.findings.length > 0) {
    console.log(`\n${style.red(`${result.findings.length} problem(s):`)}`);
    for (const finding of result.findings) {
      console.log(`  ✗ ${finding.where} ${describeFinding[finding.kind]}`);
      if (finding.detail) console.log(style.dim(indent(finding.detail, 6)));
    }
  }
  const cpu = result.cpuSeconds === undefined ? '' : ` (${result.cpuSeconds.toFixed(0)} CPU-s on ${os.availableParallelism()} cores)`;
  const total = `${(result.elapsedMs / 1000).toFixed(1)} s${cpu}`;
  console.log(`\n${result.ok ? style.green(`verify passed in ${total}`) : style.red(`verify failed in ${total}`)}`);
  process.exitCode = result.ok ? 0 : 1;
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((l) => ' '.repeat(spaces) + l).join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
