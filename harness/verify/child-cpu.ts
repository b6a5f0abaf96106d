import fs from 'node:fs';

/**
 * CPU seconds (user + system) used so far by this process's finished children
 * and their own finished children: Linux's cutime and cstime, from /proc. The
 * difference around a step is what the step cost the machine, the figure that
 * decides how long verify takes on two cores (wall time hides a step that keeps
 * both busy). Undefined where /proc is missing (macOS): the column is left out.
 */
export function childCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5) (cutime, cstime) are the 14th and 15th after the name.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks / clockTicksPerSecond : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux that Node supports. */
const clockTicksPerSecond = 100;
