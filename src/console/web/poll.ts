import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface PollState<T> {
  data: T | undefined;
  error: Error | undefined;
  /** Time of the last successful load, for the "updated" stamp. */
  at: Date | undefined;
  refresh: () => void;
}

/**
 * Load `fn` now and every `intervalMs` (0 = once), keeping the last good data on errors so a
 * blip does not blank the screen. Reloads when `key` changes.
 *
 * @example
 * const { data } = usePoll(() => api.listChannels(), 2000, '');
 */
export function usePoll<T>(fn: () => Promise<T>, intervalMs: number, key: string): PollState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [at, setAt] = useState<Date | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await fnRef.current();
        if (!alive) return;
        setData(value);
        setError(undefined);
        setAt(new Date());
      } catch (err) {
        if (alive) setError(err instanceof Error ? err : new Error(String(err)));
      }
      if (alive && intervalMs > 0) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [key, intervalMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, at, refresh };
}
