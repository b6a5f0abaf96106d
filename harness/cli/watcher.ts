import path from 'node:path';
import chokidar from 'chokidar';

/** Calls `onChange` with the changed file (relative to `cwd`) on every save under `dirs`. */
export type FileWatcher = (cwd: string, dirs: string[], onChange: (file: string) => void) => Promise<() => Promise<void>>;

/** chokidar, resolved once its initial scan is done so no early save is missed. */
export const watchFiles: FileWatcher = async (cwd, dirs, onChange) => {
  const watcher = chokidar.watch(dirs, { ignoreInitial: true, ignored: (file) => file.includes(`${path.sep}node_modules${path.sep}`) });
  const report = (file: string) => onChange(path.relative(cwd, file).split(path.sep).join('/'));
  watcher.on('add', report).on('change', report).on('unlink', report);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return () => watcher.close();
};
