/** Waits `ms` milliseconds: the pause between two attempts of a retried call. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
