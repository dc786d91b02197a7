import { useMemo } from 'preact/hooks';
import { PROCESS_STATUSES } from '../../contract.js';
import { api, type ProcessStatus } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine, Updated } from '../components/Feedback.js';
import { num, shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { href, hrefWith } from '../router.js';
import { msToIso, PROCESS_TONE } from './process-format.js';

const LIMIT = 50;
const isStatus = (s: string | null): s is ProcessStatus => s !== null && (PROCESS_STATUSES as readonly string[]).includes(s);

/**
 * Durable process instances (implant cases, item stock, discharge checks): counts by status as
 * tiles, the instances with why each waits, filtered by process and status. Filters live in the
 * URL (`#/processes?process=implant-case&status=waiting`) so a view can be shared.
 */
export function Processes({ params }: { params: URLSearchParams }) {
  const process = params.get('process') ?? '';
  const rawStatus = params.get('status');
  const status = isStatus(rawStatus) ? rawStatus : undefined;
  const key = params.get('key') ?? '';
  const cursor = params.get('cursor') ?? undefined;

  const list = usePoll(
    () => api.listProcesses({ process: process || undefined, status, key: key || undefined, limit: LIMIT, cursor }),
    5000,
    `${process}|${status ?? ''}|${key}|${cursor ?? ''}`,
  );
  // The API has no list of process names: take them from the instances it holds (one wide page).
  const all = usePoll(() => api.listProcesses({ limit: 500 }), 30_000, 'names');
  const names = useMemo(() => {
    const set = new Set((all.data?.items ?? []).map((i) => i.process));
    if (process) set.add(process);
    return [...set].sort();
  }, [all.data, process]);

  const go = (next: Record<string, string | undefined>) => {
    location.hash = hrefWith('processes', { process, status, key, ...next, cursor: next.cursor });
  };
  const page = list.data;
  const counts = page?.counts ?? {};

  return (
    <div class="page">
      <header class="page-head">
        <h1>Processes</h1>
        <span class="sub">{process ? `counts for ${process}` : 'counts for all processes'}</span>
        <Updated at={list.at} />
      </header>
      <div class="tiles" aria-label="Instances by status">
        {PROCESS_STATUSES.map((s) => (
          <a
            key={s}
            href={hrefWith('processes', { process, key, status: status === s ? undefined : s })}
            class={`tile ${s === 'exception' && (counts[s] ?? 0) > 0 ? 'bad' : s === 'waiting' ? 'warn' : ''} ${status === s ? 'selected' : ''}`}
            data-tile={s}
            title={status === s ? 'show every status' : `show only ${s}`}
          >
            <span>{s}</span>
            <b>{num(page ? (counts[s] ?? 0) : undefined)}</b>
          </a>
        ))}
      </div>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get('key');
          go({ key: typeof q === 'string' ? q.trim() : '' });
        }}
      >
        <select name="process" aria-label="Process" value={process} onChange={(e) => go({ process: e.currentTarget.value })}>
          <option value="">All processes</option>
          {names.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        <select name="status" aria-label="Status" value={status ?? ''} onChange={(e) => go({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          {PROCESS_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input class="grow" type="search" name="key" defaultValue={key} placeholder="instance key (end with * for a prefix)" />
        <button type="submit">Search</button>
      </form>
      <ErrorLine error={list.error} />
      {page && page.items.length === 0 && <Empty>No process instances match.</Empty>}
      {page && page.items.length > 0 && (
        <table class="dense processes">
          <thead>
            <tr><th>Process</th><th>Key</th><th>Status</th><th>Why it waits</th><th>Due</th><th>Updated</th><th class="n">Events</th></tr>
          </thead>
          <tbody>
            {page.items.map((i) => (
              <tr key={i.id} class="clickable" data-instance={i.id} data-status={i.status} onClick={() => (location.hash = href('processes', i.id))}>
                <td>{i.process}</td>
                <td class="mono"><a href={href('processes', i.id)}>{i.key}</a></td>
                <td><Badge value={i.status} tone={PROCESS_TONE[i.status]} /></td>
                <td class={i.status === 'exception' ? 'reason' : 'why'}>{i.waitingFor ?? ''}</td>
                <td class="mono">{shortTime(i.dueAt)}</td>
                <td class="mono">{shortTime(msToIso(i.updatedAt))}</td>
                <td class="n">{i.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button disabled={!cursor} onClick={() => go({ cursor: undefined })}>« First</button>
        <button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && go({ cursor: page.nextCursor })}>Next ›</button>
      </div>
    </div>
  );
}
