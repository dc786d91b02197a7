import { useState } from 'preact/hooks';
import { api, optional, type AlertsView, type Sla } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { PromptDialog } from '../components/PromptDialog.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';

const loadAll = async (): Promise<{ alerts?: AlertsView; slas?: Sla[] }> => {
  const [alerts, slas] = await Promise.all([optional(api.alerts), optional(api.slas)]);
  return { ...(alerts ? { alerts } : {}), ...(slas ? { slas: slas.items } : {}) };
};

const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

/** Alerts (firing, rules with silences, history) and SLAs (% met per interface). */
/** What an SLA measures: a channel (→ destination), or a process measure. */
function slaInterface(s: Sla): string {
  if (s.channel) return `${s.channel}${s.destination ? ` → ${s.destination}` : ''}`;
  if (s.measure) return `${s.process ?? 'process'}: ${s.measure}`;
  return 'fed by recordSlaSample';
}

export function Alerts() {
  const { data, error, at } = usePoll(loadAll, 5000, 'alerts');
  const [silencing, setSilencing] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<Error | undefined>(undefined);
  const alerts = data?.alerts;
  const slas = data?.slas;
  return (
    <div class="page">
      <header class="page-head"><h1>Alerts and SLAs</h1></header>
      <ErrorLine error={error ?? actionError} />
      {at && !alerts && <Empty>No alert rules yet: alerts arrive with the observability rules.</Empty>}
      {alerts && (
        <section class="panel" aria-label="Firing alerts">
          <h2>Firing</h2>
          {alerts.firing.length === 0 ? (
            <Empty>No alerts firing.</Empty>
          ) : (
            <table class="dense alerts-firing">
              <thead><tr><th>Since</th><th>Severity</th><th>Alert</th><th>Detail</th><th>Silenced until</th></tr></thead>
              <tbody>
                {alerts.firing.map((a) => (
                  <tr key={a.name} data-alert={a.name}>
                    <td class="mono">{shortTime(a.since)}</td>
                    <td><Badge value={a.severity} /></td>
                    <td>{a.name}</td>
                    <td class="reason">{a.message}</td>
                    <td class="mono">{a.silencedUntil ? shortTime(a.silencedUntil) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {alerts && (
        <section class="panel" aria-label="Alert rules">
          <h2>Rules</h2>
          {alerts.rules.length === 0 ? (
            <Empty>No alert rules configured (alerts: in loom.config.yaml).</Empty>
          ) : (
            <table class="dense alert-rules">
              <thead><tr><th>Rule</th><th>Kind</th><th>Severity</th><th>State</th><th>Note</th><th></th></tr></thead>
              <tbody>
                {alerts.rules.map((r) => (
                  <tr key={r.name} data-rule={r.name}>
                    <td>{r.name}</td>
                    <td class="mono">{r.kind}</td>
                    <td>{r.severity ? <Badge value={r.severity} /> : null}</td>
                    <td><Badge value={r.state} /></td>
                    <td class="reason">{r.silencedUntil ? `silenced until ${shortTime(r.silencedUntil)}: ${r.silenceReason ?? ''}` : (r.note ?? '')}</td>
                    <td><button type="button" onClick={() => setSilencing(r.name)}>Silence</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section class="panel" aria-label="SLAs">
        <h2>SLAs</h2>
        {at && !slas && <Empty>No SLA report on this engine.</Empty>}
        {slas && slas.length === 0 && <Empty>No SLAs configured.</Empty>}
        {slas && slas.length > 0 && (
          <table class="dense slas">
            <thead><tr><th>SLA</th><th>Interface</th><th>Within</th><th>Target</th><th>Met</th><th>Samples</th><th>Worst</th></tr></thead>
            <tbody>
              {slas.map((s) => (
                <tr key={s.name} data-sla={s.name} data-ok={s.ok === null ? 'unknown' : String(s.ok)}>
                  <td>{s.name}</td>
                  <td class="mono">{slaInterface(s)}</td>
                  <td>{duration(s.withinMs)}</td>
                  <td>{s.target} %</td>
                  <td class="pct">{s.percentMet === null ? '—' : `${s.percentMet} %`}</td>
                  <td>{s.total}</td>
                  <td>{s.worstMs === null ? '—' : duration(s.worstMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {alerts && alerts.history.length > 0 && (
        <section class="panel" aria-label="Alert history">
          <h2>History</h2>
          <table class="dense alert-history">
            <thead><tr><th>When</th><th>Rule</th><th>Event</th><th>Detail</th></tr></thead>
            <tbody>
              {[...alerts.history].reverse().map((h, i) => (
                <tr key={`${h.at}-${i}`}>
                  <td class="mono">{shortTime(h.at)}</td>
                  <td>{h.name}</td>
                  <td><Badge value={h.event} /></td>
                  <td class="reason">{h.message}{h.notified === false && h.event !== 'silenced' ? ' (not notified)' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {silencing && (
        <PromptDialog
          title={`Silence ${silencing} for 60 minutes`}
          label="Reason"
          confirmLabel="Silence"
          onCancel={() => setSilencing(undefined)}
          onConfirm={(reason: string) => {
            const name = silencing;
            setSilencing(undefined);
            api.silenceAlert(name, 60, reason).then(() => setActionError(undefined), (e: unknown) => setActionError(e instanceof Error ? e : new Error(String(e))));
          }}
        />
      )}
    </div>
  );
}
