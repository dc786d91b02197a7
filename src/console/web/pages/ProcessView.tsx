import { api } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine, Updated } from '../components/Feedback.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { hrefWith } from '../router.js';
import { msToIso, prettyJson, PROCESS_TONE } from './process-format.js';

/** One process instance: why it waits, its timeline of applied events, the effects, its state. */
export function ProcessView({ id }: { id: string }) {
  const { data: p, error, at } = usePoll(() => api.getProcess(id), 5000, id);
  if (!p) {
    return (
      <div class="page">
        <header class="page-head"><h1>Process instance</h1><span class="mono sub">{id}</span></header>
        <ErrorLine error={error} />
        {!error && <Empty>loading…</Empty>}
      </div>
    );
  }
  const effects = p.timeline.flatMap((t) => t.effects.map((e) => ({ ...e, eventId: t.eventId, appliedAt: t.appliedAt })));
  return (
    <div class="page">
      <header class="page-head">
        <h1>{p.process} <span class="mono">{p.key}</span></h1>
        <Badge value={p.status} tone={PROCESS_TONE[p.status]} />
        <a class="sub" href={hrefWith('processes', { process: p.process })}>all {p.process} instances</a>
        <Updated at={at} />
      </header>
      <ErrorLine error={error} />
      <div class="grid2">
        <section class="panel" aria-label="Wait cause">
          <h2>{p.status === 'exception' ? 'Exception' : 'Why it waits'}</h2>
          {p.waitingFor ? <p class={`waitcause ${p.status === 'exception' ? 'reason' : ''}`}>{p.waitingFor}</p> : <p class="sub">{p.status === 'completed' ? 'completed: nothing to wait for' : 'no wait cause reported'}</p>}
          <dl class="kv">
            <dt>Instance</dt><dd class="mono">{p.id}</dd>
            <dt>Due</dt><dd class="mono">{p.dueAt ? shortTime(p.dueAt) : '—'}</dd>
            <dt>Created</dt><dd class="mono">{shortTime(msToIso(p.createdAt))}</dd>
            <dt>Updated</dt><dd class="mono">{shortTime(msToIso(p.updatedAt))}</dd>
            <dt>Events</dt><dd class="mono">{p.version}</dd>
          </dl>
        </section>
        <section class="panel" aria-label="State">
          <h2>State</h2>
          <pre class="raw state">{prettyJson(p.state)}</pre>
        </section>
      </div>
      <section class="panel" aria-label="Timeline">
        <h2>Timeline <span class="hint">events applied, oldest first</span></h2>
        {p.timeline.length === 0 ? <Empty>No events applied yet.</Empty> : (
          <table class="dense timeline">
            <thead><tr><th>#</th><th>Event</th><th>Occurred</th><th>Applied</th><th>Status after</th><th>Wait cause after</th><th class="n">Effects</th><th>Event id</th></tr></thead>
            <tbody>
              {p.timeline.map((t, n) => (
                <tr key={`${n}:${t.eventId}`} data-event-type={t.eventType}>
                  <td class="n">{n + 1}</td>
                  <td class="mono">{t.eventType}</td>
                  <td class="mono">{shortTime(t.occurredAt)}</td>
                  <td class="mono">{shortTime(msToIso(t.appliedAt))}</td>
                  <td><Badge value={t.status} tone={PROCESS_TONE[t.status]} /></td>
                  <td class={t.status === 'exception' ? 'reason' : ''}>{t.waitingFor ?? ''}</td>
                  <td class="n">{t.effects.length}</td>
                  <td class="mono sub">{t.eventId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel" aria-label="Effects">
        <h2>Effects <span class="hint">sent to other systems, keyed for idempotent receivers</span></h2>
        {effects.length === 0 ? <Empty>No effects emitted.</Empty> : (
          <table class="dense effects">
            <thead><tr><th>Applied</th><th>Kind</th><th>Destination</th><th>Key</th><th>Payload</th></tr></thead>
            <tbody>
              {effects.map((e, n) => (
                <tr key={`${n}:${e.key}`} data-effect={e.kind}>
                  <td class="mono">{shortTime(msToIso(e.appliedAt))}</td>
                  <td class="mono">{e.kind}</td>
                  <td>{e.destination}</td>
                  <td class="mono">{e.key}</td>
                  <td><details><summary class="sub">payload</summary><pre class="raw">{prettyJson(e.payload)}</pre></details></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
