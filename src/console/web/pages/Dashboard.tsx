import { api, type Channel, type DeadLetter, type MessageSummary } from '../api.js';
import { ErrorLine, Empty, Updated } from '../components/Feedback.js';
import { HealthMap } from '../components/HealthMap.js';
import { LineChart } from '../components/LineChart.js';
import { Badge } from '../components/Badge.js';
import { shortTime, num } from '../format.js';
import { channelHealth, outboxDepth } from '../health.js';
import { usePoll } from '../poll.js';
import { href } from '../router.js';

const POLL_MS = 2000;

interface Exception {
  at: string;
  kind: 'rejected' | 'dead-lettered';
  channel: string;
  messageId: string;
  what: string;
  reason: string;
}

/** Latest rejected messages and dead letters, newest first, each with its reason. */
async function loadExceptions(): Promise<Exception[]> {
  const [rejected, dead] = await Promise.all([
    api.listMessages({ status: 'rejected', limit: 10 }),
    api.listDeadLetters({ limit: 10 }),
  ]);
  const fromMsg = (m: MessageSummary): Exception => ({
    at: m.receivedAt,
    kind: 'rejected',
    channel: m.channel,
    messageId: m.id,
    what: m.controlId ? `control id ${m.controlId}` : m.id,
    reason: m.error ?? 'rejected at intake (open the message for the error)',
  });
  const fromDead = (d: DeadLetter): Exception => ({
    at: d.createdAt,
    kind: 'dead-lettered',
    channel: d.channel,
    messageId: d.messageId,
    what: `to ${d.destination}`,
    reason: `${d.code}: ${d.reason}`,
  });
  return [...rejected.items.map(fromMsg), ...dead.items.map(fromDead)]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 12);
}

function Totals({ channels }: { channels: Channel[] }) {
  const sum = (k: keyof Channel['counts']) => channels.reduce((n, c) => n + c.counts[k], 0);
  const depths = channels.map(outboxDepth).filter((n): n is number => n !== undefined);
  const outbox = depths.length ? depths.reduce((a, b) => a + b, 0) : undefined;
  const health = channels.map(channelHealth);
  const tiles: [string, number | undefined, string][] = [
    ['Received', sum('received'), ''],
    ['Processed', sum('processed'), ''],
    ['Errors', sum('rejected') + sum('failed'), sum('rejected') + sum('failed') > 0 ? 'warn' : ''],
    ['Dead letters', sum('deadLettered'), sum('deadLettered') > 0 ? 'bad' : ''],
    ['Outbox depth', outbox, ''],
    ['Channels down', health.filter((h) => h === 'down').length, health.includes('down') ? 'bad' : ''],
  ];
  return (
    <div class="tiles">
      {tiles.map(([label, value, tone]) => (
        <div class={`tile ${tone}`} key={label} data-tile={label}>
          <span>{label}</span>
          <b>{num(value)}</b>
        </div>
      ))}
    </div>
  );
}

/** Dashboard: health map, totals, throughput (polled every 2 s) and business exceptions. */
export function Dashboard() {
  const channels = usePoll(() => api.listChannels(), POLL_MS, 'channels');
  const tp = usePoll(() => api.throughput(15), POLL_MS, 'throughput');
  const exc = usePoll(loadExceptions, POLL_MS * 2, 'exceptions');
  const items = channels.data?.items ?? [];
  const buckets = tp.data?.buckets ?? [];

  return (
    <div class="page">
      <header class="page-head">
        <h1>Dashboard</h1>
        <Updated at={channels.at} />
      </header>
      <ErrorLine error={channels.error ?? tp.error} />
      <Totals channels={items} />
      <div class="grid2">
        <section class="panel" aria-label="Interface health">
          <h2>Interface health <span class="hint">ok · degraded · down, from error rates and circuits</span></h2>
          {items.length ? <HealthMap channels={items} /> : <Empty>No channels configured.</Empty>}
        </section>
        <section class="panel" aria-label="Throughput">
          <h2>
            Throughput <span class="hint">messages per {tp.data?.bucketSeconds ?? 60} s, last 15 min</span>
            <Updated at={tp.at} />
          </h2>
          <LineChart
            label="Throughput"
            times={buckets.map((b) => b.t)}
            series={[
              { name: 'received', color: '#3b6e99', values: buckets.map((b) => b.received) },
              { name: 'delivered', color: '#4a8a62', values: buckets.map((b) => b.delivered) },
              { name: 'failed', color: '#b5483b', values: buckets.map((b) => b.failed) },
            ]}
          />
        </section>
      </div>
      <section class="panel" aria-label="Business exceptions">
        <h2>Business exceptions <span class="hint">latest rejected and dead-lettered</span></h2>
        <ErrorLine error={exc.error} />
        {exc.data && exc.data.length === 0 && <Empty>No rejected or dead-lettered messages.</Empty>}
        {exc.data && exc.data.length > 0 && (
          <table class="dense">
            <thead>
              <tr><th>When</th><th>Kind</th><th>Channel</th><th>Message</th><th>Reason</th></tr>
            </thead>
            <tbody>
              {exc.data.map((e) => (
                <tr key={`${e.kind}:${e.messageId}:${e.at}`}>
                  <td class="mono">{shortTime(e.at)}</td>
                  <td><Badge value={e.kind} /></td>
                  <td>{e.channel}</td>
                  <td><a href={href('messages', e.messageId)}>{e.what}</a></td>
                  <td class="reason">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
