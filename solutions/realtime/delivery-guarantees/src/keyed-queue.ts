/**
 * Runs tasks that share a key one after another, in the order they were
 * queued, and tasks with different keys concurrently. The chat queues every
 * store-and-broadcast and every replay-and-join of a room under the room's
 * name, so that within one process broadcasts leave in offset order and no
 * message can fall between a replay and the join that follows it.
 */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running (for tests: an idle queue holds none). */
  readonly size: number;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      // The next task starts when this one settles, whether it failed or not.
      const result = previous.then(task, task);
      const tail = result.catch(() => {});
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size() {
      return tails.size;
    },
  };
}
