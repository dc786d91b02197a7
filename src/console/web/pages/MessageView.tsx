import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { href, hrefWith } from '../router.js';
import { Payload } from './Payload.js';

/** One message: envelope, business keys, decoded payload, steps, deliveries, lineage, Replay. */
export function MessageView({ id }: { id: string }) {
  const { data, error } = usePoll(() => api.getMessage(id), 0, id);
  const [replayed, setReplayed] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<Error | undefined>(undefined);

  const replay = async () => {
    setActionError(undefined);
    try {
      const res = await api.replayMessage(id);
      setReplayed(res.messageId);
    } catch (err) {
      setActionError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  if (!data) {
    return (
      <div class="page">
        <header class="page-head"><h1>Message</h1><span class="mono sub">{id}</span></header>
        <ErrorLine error={error} />
      </div>
    );
  }
  const { message: m, steps, deliveries, lineage } = data;
  const maxMs = Math.max(1, ...steps.map((s) => s.durationMs));
  const envelope: [string, string | undefined][] = [
    ['Id', m.id],
    ['Channel', m.channel],
    ['Received', m.receivedAt],
    ['Content type', m.contentType],
    ['Control id', m.controlId],
    ['Source system', m.sourceSystem],
    ['Correlation id', m.correlationId],
    ['Causation id', m.causationId],
  ];

  return (
    <div class="page">
      <header class="page-head">
        <h1>Message <span class="mono">{m.controlId ?? m.id}</span></h1>
        <Badge value={m.status} />
        <span class="spacer" />
        {replayed && (
          <span class="notice" role="status">
            Replayed as <a href={href('messages', replayed)} class="mono">{replayed}</a>
          </span>
        )}
        <button class="primary" onClick={() => void replay()}>Replay</button>
      </header>
      <ErrorLine error={actionError} />
      <div class="grid2">
        <section class="panel" aria-label="Envelope">
          <h2>Envelope</h2>
          <dl class="kv">
            {envelope.map(([k, v]) =>
              v === undefined ? null : [
                <dt key={`${k}t`}>{k}</dt>,
                <dd key={`${k}d`} class="mono">
                  {k === 'Correlation id' ? <a href={hrefWith('messages', { correlationId: v })}>{v}</a> : k === 'Received' ? `${v} (${shortTime(v)})` : v}
                </dd>,
              ],
            )}
          </dl>
          <h3>Business keys</h3>
          <div class="keys">
            {Object.entries(m.keys).map(([k, v]) => (
              <a key={k} class="key" href={hrefWith('messages', { q: v })}><i>{k}</i> {v}</a>
            ))}
          </div>
          {Object.keys(m.headers).length > 0 && (
            <>
              <h3>Headers</h3>
              <dl class="kv">
                {Object.entries(m.headers).map(([k, v]) => [<dt key={`${k}t`}>{k}</dt>, <dd key={`${k}d`} class="mono">{v}</dd>])}
              </dl>
            </>
          )}
        </section>
        <section class="panel" aria-label="Processing">
          <h2>Steps</h2>
          {steps.length === 0 ? <Empty>No steps recorded.</Empty> : (
            <table class="dense steps">
              <thead><tr><th>Step</th><th>Status</th><th>Started</th><th class="n">ms</th><th /></tr></thead>
              <tbody>
                {steps.map((s) => (
                  <tr key={s.name + s.startedAt}>
                    <td>{s.name}{s.error && <div class="reason">{s.error}</div>}</td>
                    <td><Badge value={s.status} /></td>
                    <td class="mono">{shortTime(s.startedAt)}</td>
                    <td class="n mono">{s.durationMs.toFixed(1)}</td>
                    <td class="bar"><i style={{ width: `${(s.durationMs / maxMs) * 100}%` }} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Deliveries</h2>
          {deliveries.length === 0 ? <Empty>No deliveries.</Empty> : (
            <table class="dense deliveries">
              <thead><tr><th>Destination</th><th>Status</th><th class="n">Attempts</th><th>Delivered</th><th>Last error</th></tr></thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.destination} data-delivery={d.destination} data-delivery-status={d.status}>
                    <td>{d.destination}</td>
                    <td><Badge value={d.status} /></td>
                    <td class="n">{d.attempts}</td>
                    <td class="mono">{shortTime(d.deliveredAt)}</td>
                    <td class="reason">{d.lastError}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Lineage</h2>
          {lineage.length === 0 ? <Empty>No related messages.</Empty> : (
            <ul class="lineage">
              {lineage.map((l) => (
                <li key={l.id}>
                  <span class="sub">{l.relation === 'caused-by' ? 'caused by' : 'caused'}</span>{' '}
                  <a class="mono" href={href('messages', l.id)}>{l.id}</a>
                  {l.channel && <span class="sub"> on {l.channel}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section class="panel" aria-label="Payload">
        <h2>Payload</h2>
        <Payload contentType={m.contentType} text={m.payloadText} />
      </section>
    </div>
  );
}
