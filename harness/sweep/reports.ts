import fs from 'node:fs';
import path from 'node:path';
import type { SweepReport } from './sweep';

/** Where a kata's sweep target lives: `harness/sweep/targets/<phase>.<kata>.sweep.ts`. */
export const sweepTargetFile = (cwd: string, kata: string) => path.join(cwd, 'harness', 'sweep', 'targets', `${kata.replace('/', '.')}.sweep.ts`);

/**
 * The sweep's reports (written by sweep.ts into `.kata/verify/sweep/`), and its
 * findings as lines `<kata> <route> (<who>, <input>): <what went wrong>`. A kata
 * whose solution has an app but no target, or whose target wrote no report, is
 * a finding too.
 */
export function readSweepReports(cwd: string, katas: string[]): { reports: SweepReport[]; findings: string[] } {
  const reports: SweepReport[] = [];
  const findings: string[] = [];
  for (const kata of katas) {
    const hasApp = fs.existsSync(path.join(cwd, 'solutions', kata, 'src', 'app.ts'));
    if (!hasApp) continue;
    if (!fs.existsSync(sweepTargetFile(cwd, kata))) {
      findings.push(`${kata}: no sweep target: add ${path.relative(cwd, sweepTargetFile(cwd, kata))} (see harness/sweep/sweep.ts)`);
      continue;
    }
    const file = path.join(cwd, '.kata', 'verify', 'sweep', `${kata.replace('/', '--')}.json`);
    if (!fs.existsSync(file)) {
      findings.push(`${kata}: no report from its sweep target (it failed before sweeping; see the step's output)`);
      continue;
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepReport;
    reports.push(report);
    findings.push(...report.findings.map((f) => `${kata} ${f}`));
  }
  return { reports, findings };
}
