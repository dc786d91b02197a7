import { api, optional, type Channel, type DeadLetter, type MessageSummary, type Sla } from '../api.js';
import { ErrorLine, Empty, Updated } from '../components/Feedback.js';
import { HealthMap } from '../components/HealthMap.js';
import { LineChart } from '../components/LineChart.js';
import { Badge } from '../components/Badge.js';
import { shortTime, num, ms } from '../format.js';
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

const SLA_COLORS = ['#3b6e99', '#4a8a62', '#8a5a9f', '#c08a2e', '#2f8f8f', '#b5483b'];
const percent = (v: number) => `${v} %`;

/** Each SLA's share met against its target, and attainment per hour over the last 24 h. */
function SlaAttainment({ slas }: { slas: Sla[] }) {
  const times = slas[0]?.trend?.map((p) => p.t) ?? [];
  return (
    <>
      <div class="tiles sla-tiles">
        {slas.map((s) => (
          <div
            class={`tile ${s.ok === true ? 'ok' : s.ok === false ? 'bad' : ''}`}
            key={s.name}
            data-sla={s.name}
            data-ok={s.ok === null ? 'unknown' : String(s.ok)}
            title={s.description ?? s.name}
          >
            <span>{s.name}</span>
            <b class="pct">{s.percentMet === null ? '—' : `${s.percentMet} %`}</b>
            <small> target {s.target} % · {num(s.total)} samples</small>
          </div>
        ))}
      </div>
      <LineChart
        label="SLA attainment"
        height={150}
        yMax={100}
        format={percent}
        times={times}
        series={slas.map((s, i) => ({
          name: s.name,
          color: SLA_COLORS[i % SLA_COLORS.length] ?? '#3b6e99',
          // The trend shares one hourly axis across SLAs; align by time in case an older engine differs.
          values: times.map((t) => s.trend?.find((p) => p.t === t)?.percentMet ?? null),
        }))}
      />
    </>
  );
}

/**
 * Dashboard: health map, totals, throughput, delivery latency and failures per bucket (polled
 * every 2 s), SLA attainment (every 5 s) and business exceptions.
 */
export function Dashboard() {
  const channels = usePoll(() => api.listChannels(), POLL_MS, 'channels');
  const tp = usePoll(() => api.throughput(15), POLL_MS, 'throughput');
  const exc = usePoll(loadExceptions, POLL_MS * 2, 'exceptions');
  const slas = usePoll(() => optional(api.slas), POLL_MS * 2.5, 'slas');
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
            integer
            times={buckets.map((b) => b.t)}
            series={[
              { name: 'received', color: '#3b6e99', values: buckets.map((b) => b.received) },
              { name: 'delivered', color: '#4a8a62', values: buckets.map((b) => b.delivered) },
              { name: 'failed', color: '#b5483b', values: buckets.map((b) => b.failed) },
            ]}
          />
        </section>
      </div>
      <div class="grid2">
        <section class="panel" aria-label="Delivery latency">
          <h2>
            Delivery latency <span class="hint">receipt → delivered, p50 and p95 per {tp.data?.bucketSeconds ?? 10} s</span>
          </h2>
          <LineChart
            label="Delivery latency"
            height={150}
            format={ms}
            times={buckets.map((b) => b.t)}
            series={[
              { name: 'p50', color: '#3b6e99', values: buckets.map((b) => b.p50Ms ?? null) },
              { name: 'p95', color: '#c08a2e', values: buckets.map((b) => b.p95Ms ?? null) },
            ]}
          />
        </section>
        <section class="panel" aria-label="Exception trend">
          <h2>
            Exception trend <span class="hint">rejected + dead-lettered per {tp.data?.bucketSeconds ?? 10} s</span>
          </h2>
          <LineChart
            label="Exception trend"
            integer
            height={150}
            times={buckets.map((b) => b.t)}
            series={[{ name: 'failed', color: '#b5483b', values: buckets.map((b) => b.failed) }]}
          />
        </section>
      </div>
      {(slas.at || slas.error) && (
        <section class="panel" aria-label="SLA attainment">
          <h2>
            SLA attainment <span class="hint">% met over each SLA's window vs target; per hour, last 24 h</span>
            <Updated at={slas.at} />
          </h2>
          <ErrorLine error={slas.error} />
          {slas.at && !slas.data && <Empty>No SLA report on this engine.</Empty>}
          {slas.data && slas.data.items.length === 0 && <Empty>No SLAs configured (slas in loom.config.yaml).</Empty>}
          {slas.data && slas.data.items.length > 0 && <SlaAttainment slas={slas.data.items} />}
        </section>
      )}
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
