import net from 'node:net';

/**
 * The local services the contract tests talk to. Under CI=true a test of a service must run (and
 * fail when the service is down); elsewhere it is skipped with a printed notice.
 */
export const CI = process.env.CI === 'true';
export const PG_URL = process.env.LOOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MARIADB_URL = process.env.LOOM_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Does anything accept a TCP connection at the URL's host and port within the timeout? */
export function tcpReachable(url: string, defaultPort: number, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when the tests of `name` should run: always under CI, else when it answers (with a notice when not). */
export async function serviceAvailable(name: string, url: string, defaultPort: number): Promise<boolean> {
  if (CI) return true;
  const up = await tcpReachable(url, defaultPort);
  if (!up) console.warn(`[${name}] unreachable at ${url}: skipping its tests (set CI=true to make this a failure)`);
  return up;
}
