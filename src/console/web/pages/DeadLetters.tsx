import { useEffect, useState } from 'preact/hooks';
import { api, type DeadLetter, type Page } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { PromptDialog } from '../components/PromptDialog.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { href } from '../router.js';

const LIMIT = 50;

/** Dead letters: list per channel, Replay, Discard with a required reason (audited by the API). */
export function DeadLetters() {
  const [channel, setChannel] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<DeadLetter> | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [discarding, setDiscarding] = useState<DeadLetter | undefined>(undefined);
  const [reload, setReload] = useState(0);
  const channels = usePoll(() => api.listChannels(), 0, 'channels');
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let alive = true;
    api
      .listDeadLetters({ channel, limit: LIMIT, cursor })
      .then((p) => alive && setPage(p))
      .catch((err: unknown) => alive && setError(err instanceof Error ? err : new Error(String(err))));
    return () => {
      alive = false;
    };
  }, [channel, cursor, reload]);

  const run = async (what: string, fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      setNotice(what);
      setReload((n) => n + 1);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (
    <div class="page">
      <header class="page-head">
        <h1>Dead letters</h1>
        {notice && <span class="notice" role="status">{notice}</span>}
      </header>
      <div class="toolbar">
        <select
          name="channel"
          value={channel}
          onChange={(e) => {
            setChannel(e.currentTarget.value);
            setCursors([undefined]);
          }}
        >
          <option value="">All channels</option>
          {(channels.data?.items ?? []).map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
        </select>
      </div>
      <ErrorLine error={error} />
      {page && page.items.length === 0 && <Empty>No dead letters. Every delivery either succeeded or is still retrying.</Empty>}
      {page && page.items.length > 0 && (
        <table class="dense deadletters">
          <thead>
            <tr><th>Created</th><th>Channel</th><th>Destination</th><th>Code</th><th>Reason</th><th>Message</th><th /></tr>
          </thead>
          <tbody>
            {page.items.map((d) => (
              <tr key={d.id} data-dead-letter={d.id} data-replayed={d.replayedAt ? 'yes' : 'no'}>
                <td class="mono">{shortTime(d.createdAt)}</td>
                <td>{d.channel}</td>
                <td>{d.destination}</td>
                <td class="mono">{d.code}</td>
                <td class="reason">{d.reason}</td>
                <td class="mono"><a href={href('messages', d.messageId)}>{d.messageId}</a></td>
                <td class="actions">
                  {d.replayedAt && <span title={`replayed ${d.replayedAt}`}><Badge value="replayed" /></span>}
                  <button onClick={() => void run(`Dead letter ${d.id} replayed`, () => api.replayDeadLetter(d.id))}>Replay</button>
                  <button class="danger" onClick={() => setDiscarding(d)}>Discard</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>‹ Previous</button>
        <span>page {cursors.length}</span>
        <button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>Next ›</button>
      </div>
      {discarding && (
        <PromptDialog
          title={`Discard dead letter ${discarding.id}`}
          label="Reason (kept in the audit trail)"
          confirmLabel="Discard"
          onCancel={() => setDiscarding(undefined)}
          onConfirm={(reason) => {
            const d = discarding;
            setDiscarding(undefined);
            void run(`Dead letter ${d.id} discarded`, () => api.discardDeadLetter(d.id, reason));
          }}
        />
      )}
    </div>
  );
}
