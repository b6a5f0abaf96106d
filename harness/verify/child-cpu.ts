import fs from 'node:fs';

/**
 * CPU seconds (user + system) used so far by this process's finished children
 * and their own finished children: Linux's cutime and cstime, from /proc. The
 * difference around the whole of verify is what it cost the machine, the figure
 * that decides how long it takes on two cores (wall time hides a step that keeps
 * both busy). Undefined where /proc is missing (macOS): the figures are left out.
 */
export function childCpuSeconds(): number | undefined {
  const fields = statFields('self');
  if (!fields) return undefined;
  // Fields 16 and 17 of proc(5) (cutime, cstime) are the 14th and 15th after the name.
  return seconds(fields[13], fields[14]);
}

/**
 * Follows the CPU of a running command and every process under it, for a step run
 * beside others (the whole run's cutime cannot tell them apart). A sample sums,
 * over the command's process tree, each process's own time and that of its
 * finished children (utime, stime, cutime, cstime of proc(5)): a Jest worker
 * counts while it runs and, once Jest has reaped it, in Jest's cutime. /proc
 * forgets the command when it is reaped, so the figure is the last sample: short
 * by at most one interval of what the tree did last. Undefined without /proc.
 */
export function sampleCpuOf(pid: number | undefined): { stop(): number | undefined } {
  if (pid === undefined || !fs.existsSync('/proc/self/stat')) return { stop: () => undefined };
  const watch = { last: undefined as number | undefined };
  watched.set(pid, watch);
  sampleAll();
  sampler ??= setInterval(sampleAll, SAMPLE_INTERVAL_MS).unref();
  return {
    stop() {
      watched.delete(pid);
      if (watched.size === 0 && sampler) {
        clearInterval(sampler);
        sampler = undefined;
      }
      return watch.last;
    },
  };
}

const SAMPLE_INTERVAL_MS = 250;
const watched = new Map<number, { last: number | undefined }>();
let sampler: NodeJS.Timeout | undefined;

/** One pass over /proc for every watched command: a few milliseconds for a few hundred processes. */
function sampleAll(): void {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const pid = Number(entry);
    // Field 4 of proc(5) (ppid) is the 2nd after the name; 14 to 17 the 12th to 15th.
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    cpu.set(pid, seconds(fields[11], fields[12], fields[13], fields[14]) ?? 0);
  }
  for (const [pid, watch] of watched) {
    if (!cpu.has(pid)) continue;
    let total = 0;
    for (const stack = [pid]; stack.length > 0; ) {
      const at = stack.pop()!;
      total += cpu.get(at) ?? 0;
      stack.push(...(children.get(at) ?? []));
    }
    watch.last = total;
  }
}

/** The fields of /proc/<pid>/stat after the command name, which is in parentheses and may hold spaces. */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function seconds(...ticks: (string | undefined)[]): number | undefined {
  const total = ticks.reduce((sum, t) => sum + Number(t), 0);
  return Number.isFinite(total) ? total / clockTicksPerSecond : undefined;
}

/** USER_HZ: 100 on every Linux that Node supports. */
const clockTicksPerSecond = 100;
