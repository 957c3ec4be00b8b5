/** Bounded concurrency for scripts that fan out over many RPC or HTTP calls. */

/** Runs `work` over `items`, `concurrency` at a time (each item once). */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
