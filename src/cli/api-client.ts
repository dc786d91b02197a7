import { LoomError } from '../kernel/index.js';

/** Problem+json body the API answers errors with. */
interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  location?: string;
  hint?: string;
}

/**
 * Calls a running engine's API for the CLI commands that act on it (`messages`, `dlq`,
 * `replay`, `reload`), so auth and audit apply as for any client.
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.baseUrl).href;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (cause) {
      throw new LoomError('engine.unreachable', `no Loom engine answers at ${this.baseUrl}`, {
        hint: 'start it with `loom start`, or pass --url (or LOOM_URL) for an engine elsewhere',
        cause,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const problem = parseProblem(text);
      throw new LoomError(problem.code ?? `api.http-${response.status}`, problem.detail ?? problem.title ?? text.slice(0, 200), {
        location: problem.location ?? `${method} ${path}`,
        hint: problem.hint,
      });
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}

function parseProblem(text: string): Problem {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : {};
  } catch {
    return {};
  }
}
