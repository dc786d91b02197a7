import { useState } from 'preact/hooks';
import { api, type Channel } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine, Updated } from '../components/Feedback.js';
import { channelHealth, errorRate, outboxDepth } from '../health.js';
import { num, pct } from '../format.js';
import { usePoll } from '../poll.js';
import { hrefWith } from '../router.js';

/** Channels: status, counts, outbox depth, destinations with circuit state; pause and resume. */
export function Channels() {
  const { data, error, at, refresh } = usePoll(() => api.listChannels(), 2000, 'channels');
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<Error | undefined>(undefined);

  const act = async (ch: Channel) => {
    setBusy(ch.name);
    setActionError(undefined);
    try {
      if (ch.status === 'running') await api.pauseChannel(ch.name);
      else await api.resumeChannel(ch.name);
      refresh();
    } catch (err) {
      setActionError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="page">
      <header class="page-head">
        <h1>Channels</h1>
        <Updated at={at} />
      </header>
      <ErrorLine error={actionError ?? error} />
      {data && data.items.length === 0 && <Empty>No channels configured.</Empty>}
      {data && data.items.length > 0 && (
        <table class="dense channels">
          <thead>
            <tr>
              <th>Channel</th><th>Health</th><th>Status</th><th>Inbound</th>
              <th class="n">Received</th><th class="n">Processed</th><th class="n">Rejected</th>
              <th class="n">Duplicate</th><th class="n">Failed</th><th class="n">Dead</th><th class="n">Err %</th>
              <th class="n">Outbox</th><th>Destinations</th><th />
            </tr>
          </thead>
          <tbody>
            {data.items.map((ch) => (
              <tr key={ch.name} data-channel={ch.name}>
                <td>
                  <a href={hrefWith('messages', { channel: ch.name })}><b>{ch.name}</b></a>
                  <div class="sub">{ch.sourceSystem}</div>
                </td>
                <td><Badge value={channelHealth(ch)} /></td>
                <td data-status={ch.status}><Badge value={ch.status} /></td>
                <td><span class="mono">{ch.inbound.kind}</span><div class="sub mono">{ch.inbound.address}</div></td>
                <td class="n">{num(ch.counts.received)}</td>
                <td class="n">{num(ch.counts.processed)}</td>
                <td class="n">{num(ch.counts.rejected)}</td>
                <td class="n">{num(ch.counts.duplicate)}</td>
                <td class="n">{num(ch.counts.failed)}</td>
                <td class="n">{num(ch.counts.deadLettered)}</td>
                <td class="n">{pct(errorRate(ch))}</td>
                <td class="n">{num(outboxDepth(ch))}</td>
                <td>
                  <ul class="dests">
                    {ch.destinations.map((d) => (
                      <li key={d.name}>
                        <Badge value={d.circuit} /> {d.name} <span class="sub">{d.kind}</span>
                        <span class="sub counts">{num(d.pending)} pending · {num(d.delivered)} delivered · {num(d.dead)} dead</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <button disabled={busy === ch.name} onClick={() => void act(ch)}>
                    {ch.status === 'running' ? 'Pause' : 'Resume'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
