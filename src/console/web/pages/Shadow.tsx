import { api, optional, type ShadowRun, type ShadowResult } from '../api.js';
import { Badge } from '../components/Badge.js';
import { Empty, ErrorLine } from '../components/Feedback.js';
import { shortTime } from '../format.js';
import { usePoll } from '../poll.js';
import { hrefWith } from '../router.js';

const STATUSES = ['differ', 'loom-only', 'legacy-only', 'match'] as const;

/**
 * Shadow runs: Loom channels running beside the legacy interfaces they will replace. Per channel,
 * how many messages matched, differed, or came from one side only; per message, where they differ.
 */
export function Shadow({ params }: { params: URLSearchParams }) {
  const channel = params.get('channel') ?? undefined;
  const status = (params.get('status') ?? 'differ') as ShadowResult['status'];
  const runs = usePoll(async () => (await optional(api.shadowRuns))?.items, 5000, 'shadow');
  const results = usePoll(async () => (channel ? (await api.shadowResults(channel, status)).items : undefined), 5000, `shadow:${channel ?? ''}:${status}`);
  return (
    <div class="page">
      <header class="page-head"><h1>Shadow runs</h1></header>
      <ErrorLine error={runs.error ?? results.error} />
      {runs.at && (runs.data ?? []).length === 0 && (
        <Empty>No channel is in a shadow run. Add <code>shadow: {'{}'}</code> to a channel that replaces a legacy interface, and have the legacy engine post its outputs to <code>/api/v1/shadow/&lt;channel&gt;/legacy/&lt;destination&gt;</code>.</Empty>
      )}
      {(runs.data ?? []).length > 0 && (
        <section class="panel" aria-label="Shadowed channels">
          <table class="dense shadow-runs">
            <thead><tr><th>Channel</th>{STATUSES.map((s) => <th key={s}>{s}</th>)}</tr></thead>
            <tbody>
              {runs.data!.map((r: ShadowRun) => (
                <tr key={r.channel} data-channel={r.channel}>
                  <td>{r.channel}</td>
                  {STATUSES.map((s) => <td key={s} class="num"><a href={hrefWith('shadow', { channel: r.channel, status: s })}>{r[s]}</a></td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {channel && (
        <section class="panel" aria-label="Compared outputs">
          <h2>{channel}: {status}</h2>
          {(results.data ?? []).length === 0 ? <Empty>Nothing {status} yet.</Empty> : (
            <table class="dense shadow-results">
              <thead><tr><th>Key</th><th>Destination</th><th>Status</th><th>Updated</th><th>Differences (Loom → legacy)</th></tr></thead>
              <tbody>
                {results.data!.map((r) => (
                  <tr key={`${r.destination}/${r.key}`} data-key={r.key}>
                    <td class="mono">{r.key}</td>
                    <td>{r.destination}</td>
                    <td><Badge value={r.status} /></td>
                    <td class="mono">{shortTime(r.updatedAt)}</td>
                    <td class="reason">
                      {r.differences.length === 0 ? '' : (
                        <ul class="differences">
                          {r.differences.map((d) => <li key={d.path}><span class="mono">{d.path}</span>: <q>{d.loom ?? '∅'}</q> → <q>{d.legacy ?? '∅'}</q></li>)}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
