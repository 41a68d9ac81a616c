// Benchmarks create thousands of topics on a busy single broker, which then answers NOT_LEADER or
// times out for a while after the metadata names a leader: setup steps are retried until a deadline.

export async function retryUntil<T>(fn: () => Promise<T>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
    }
  }
}
