import { render } from 'preact';
import { api } from './api.js';
import { NAV } from './nav.js';
import { Alerts } from './pages/Alerts.js';
import { Catalog } from './pages/Catalog.js';
import { Shadow } from './pages/Shadow.js';
import { Channels } from './pages/Channels.js';
import { Dashboard } from './pages/Dashboard.js';
import { DeadLetters } from './pages/DeadLetters.js';
import { Messages } from './pages/Messages.js';
import { MessageView } from './pages/MessageView.js';
import { Processes } from './pages/Processes.js';
import { ProcessView } from './pages/ProcessView.js';
import { usePoll } from './poll.js';
import { useRoute, type Route } from './router.js';
import './styles.css';

function Page({ route }: { route: Route }) {
  const [top = '', id] = route.parts;
  switch (top) {
    case '':
      return <Dashboard />;
    case 'channels':
      return <Channels />;
    case 'messages':
      return id ? <MessageView id={id} /> : <Messages params={route.params} />;
    case 'dead-letters':
      return <DeadLetters />;
    case 'alerts':
      return <Alerts />;
    case 'processes':
      return id ? <ProcessView id={id} /> : <Processes params={route.params} />;
    case 'catalog':
      return <Catalog />;
    case 'shadow':
      return <Shadow params={route.params} />;
    default:
      return (
        <div class="page">
          <h1>Not here yet</h1>
          <p class="empty">“{top}” is not a console page. Use the navigation on the left.</p>
        </div>
      );
  }
}

function EngineStatus() {
  const { data, error } = usePoll(() => api.health(), 5000, 'health');
  const ok = !error && data?.status === 'ok';
  return (
    <div class={`engine ${ok ? 'ok' : data || error ? 'bad' : ''}`} title={error?.message}>
      <i /> engine {ok ? 'up' : error ? 'unreachable' : data ? data.status : '…'}
    </div>
  );
}

function App() {
  const route = useRoute();
  const current = route.parts[0] ?? '';
  return (
    <div class="shell">
      <nav class="side" aria-label="Console">
        <div class="brand">Loom <span>operations</span></div>
        <ul>
          {NAV.map((n) =>
            n.coming ? (
              <li key={n.path} class="coming" aria-disabled="true" title="coming">
                {n.label} <small>coming</small>
              </li>
            ) : (
              <li key={n.path} class={current === n.path ? 'active' : ''}>
                <a href={`#/${n.path}`} aria-current={current === n.path ? 'page' : undefined}>{n.label}</a>
              </li>
            ),
          )}
        </ul>
        <EngineStatus />
      </nav>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
