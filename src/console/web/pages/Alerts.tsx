import { api, ApiError, type Alert } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';

/** `undefined` means the endpoint does not exist yet (404). */
async function loadAlerts(): Promise<Alert[] | undefined> {
  try {
    const res = await api.listAlerts();
    return Array.isArray(res) ? res : res.items;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Alerts and SLAs: what `/api/v1/alerts` returns, or an honest empty state until it exists. */
export function Alerts() {
  const { data, error, at } = usePoll(loadAlerts, 5000, 'alerts');
  return (
    <div class="page">
      <header class="page-head"><h1>Alerts and SLAs</h1></header>
      <ErrorLine error={error} />
      {at && data === undefined && (
        <Empty>No alert rules yet: alerts arrive with the observability rules.</Empty>
      )}
      {data && data.length === 0 && <Empty>No alerts firing.</Empty>}
      {data && data.length > 0 && (
        <table class="dense">
          <thead><tr><th>Since</th><th>Severity</th><th>State</th><th>Alert</th><th>Detail</th></tr></thead>
          <tbody>
            {data.map((a, i) => (
              <tr key={str(a.id) || i}>
                <td class="mono">{shortTime(str(a.since))}</td>
                <td>{a.severity ? <Badge value={str(a.severity)} /> : null}</td>
                <td>{a.state ? <Badge value={str(a.state)} /> : null}</td>
                <td>{str(a.name ?? a.id)}</td>
                <td class="reason">{str(a.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
