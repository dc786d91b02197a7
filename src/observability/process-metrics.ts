import type { LoomMetrics } from './metrics.js';

/** What process metrics read (the ProcessManager fits). */
export interface ProcessMetricsSource {
  names(): string[];
  countByStatus(process?: string): Promise<Record<string, number>>;
  waitCauses(): Promise<Array<{ process: string; status: string; cause: string; count: number }>>;
}

/**
 * Before every scrape, set `loom_process_instances{process,status}` and
 * `loom_process_waiting_instances{process,status,cause}` from the process store. Causes that no
 * instance waits on any more disappear from the exposition.
 *
 * @example sampleProcessMetrics(metrics, processes.manager);
 */
export function sampleProcessMetrics(metrics: LoomMetrics, source: ProcessMetricsSource): void {
  metrics.onScrape(async () => {
    for (const process of source.names()) {
      for (const [status, n] of Object.entries(await source.countByStatus(process))) metrics.processInstances.set({ process, status }, n);
    }
    const causes = await source.waitCauses();
    metrics.processWaiting.reset();
    for (const c of causes) metrics.processWaiting.set({ process: c.process, status: c.status, cause: c.cause }, c.count);
  });
}
