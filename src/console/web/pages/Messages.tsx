import { useEffect, useState } from 'preact/hooks';
import { api, type MessageSummary, type Page } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { href, hrefWith } from '../router.js';

/** `datetime-local` gives local time without a zone; the API wants ISO 8601. */
function iso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const STATUSES = ['received', 'processed', 'rejected', 'duplicate', 'failed', 'dead-lettered'];
const LIMIT = 25;

/**
 * Messages: search by business key (`q`: patient id/MRN, control id, visit, PO, GTIN, lot,
 * serial), filter by channel and status, page with the API's cursor. Filters live in the URL.
 */
export function Messages({ params }: { params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  const channel = params.get('channel') ?? '';
  const status = params.get('status') ?? '';
  const correlationId = params.get('correlationId') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState(q);
  // Cursor stack: cursors[i] is the cursor that loads page i (page 0 has none).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<MessageSummary> | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const channels = usePoll(() => api.listChannels(), 0, 'channels');
  const filterKey = `${q}|${channel}|${status}|${correlationId}|${from}|${to}`;

  useEffect(() => {
    setDraft(q);
    setCursors([undefined]);
  }, [filterKey]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    let alive = true;
    setError(undefined);
    api
      .listMessages({ q, channel, status, correlationId, from: iso(from), to: iso(to), limit: LIMIT, cursor })
      .then((p) => alive && setPage(p))
      .catch((err: unknown) => alive && setError(err instanceof Error ? err : new Error(String(err))));
    return () => {
      alive = false;
    };
  }, [filterKey, cursor]);

  const go = (next: Record<string, string>) => {
    location.hash = hrefWith('messages', { q, channel, status, correlationId, from, to, ...next });
  };

  return (
    <div class="page">
      <header class="page-head"><h1>Messages</h1></header>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: draft.trim() });
        }}
      >
        <input
          type="search"
          name="q"
          class="grow"
          placeholder="Patient id / MRN, control id, visit, PO, GTIN, lot, serial"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <select name="channel" value={channel} onChange={(e) => go({ channel: e.currentTarget.value })}>
          <option value="">All channels</option>
          {(channels.data?.items ?? []).map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
        </select>
        <select name="status" value={status} onChange={(e) => go({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input type="datetime-local" name="from" title="received from" value={from} onChange={(e) => go({ from: e.currentTarget.value })} />
        <input type="datetime-local" name="to" title="received until" value={to} onChange={(e) => go({ to: e.currentTarget.value })} />
        <button type="submit" class="primary">Search</button>
      </form>
      {correlationId && (
        <div class="chips">
          correlation id <span class="key">{correlationId}</span>
          <button onClick={() => go({ correlationId: '' })}>clear</button>
        </div>
      )}
      <ErrorLine error={error} />
      {page && page.items.length === 0 && <Empty>No messages match{q ? ` “${q}”` : ''}.</Empty>}
      {page && page.items.length > 0 && (
        <table class="dense messages">
          <thead>
            <tr><th>Received</th><th>Status</th><th>Channel</th><th>Source</th><th>Control id</th><th>Type</th><th>Business keys</th></tr>
          </thead>
          <tbody>
            {page.items.map((m) => (
              <tr key={m.id} class="clickable" onClick={() => (location.hash = href('messages', m.id))}>
                <td class="mono">{shortTime(m.receivedAt)}</td>
                <td><Badge value={m.status} /></td>
                <td>{m.channel}</td>
                <td>{m.sourceSystem}</td>
                <td class="mono"><a href={href('messages', m.id)}>{m.controlId ?? m.id}</a></td>
                <td class="mono sub">{m.contentType}</td>
                <td class="keys">
                  {Object.entries(m.keys).map(([k, v]) => (
                    <span key={k} class="key"><i>{k}</i> {v}</span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>‹ Previous</button>
        <span>page {cursors.length}</span>
        <button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>
          Next ›
        </button>
      </div>
    </div>
  );
}
