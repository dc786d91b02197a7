import { Hono, type Context } from 'hono';
import type { Channel, DeadLetter, MessageView, ThroughputBucket } from '../contract.js';
import { prng, seedChannels, seedDeadLetters, seedMessages } from './data.js';

/**
 * A TEST DOUBLE of Loom's `/api/v1` for the console: in-memory estate, same JSON contract as the
 * engine's API (see src/console/web/api.ts). It exists so the console can be developed and its
 * browser tests run before (and independently of) the real engine; it is not the engine.
 */
export interface ConsoleApiDouble {
  app: Hono;
  /** Number of throughput polls answered; each one advances the double's clock one bucket. */
  throughputPolls(): number;
}

const problem = (c: Context, status: 400 | 404 | 409, code: string, detail: string) =>
  c.body(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }), status, {
    'content-type': 'application/problem+json',
  });

function paginate<T>(items: T[], limitRaw: string | undefined, cursor: string | undefined): { items: T[]; nextCursor?: string } {
  const limit = Math.min(200, Math.max(1, Number(limitRaw ?? 50) || 50));
  const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) || 0 : 0;
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return next ? { items: page, nextCursor: next } : { items: page };
}

/**
 * Build the API test double.
 *
 * @example
 * const { app } = createConsoleApiDouble();
 * app.route('/', serveConsole());
 */
export function createConsoleApiDouble(now = Date.now()): ConsoleApiDouble {
  const channels: Channel[] = seedChannels();
  const messages: MessageView[] = seedMessages(now);
  let deadLetters: DeadLetter[] = seedDeadLetters(now);
  const rnd = prng(42);
  const bucketSeconds = 60;
  const buckets: ThroughputBucket[] = [];
  let clock = now - 15 * bucketSeconds * 1000;
  const nextBucket = () => {
    clock += bucketSeconds * 1000;
    const received = Math.round(40 + rnd() * 60);
    buckets.push({ t: new Date(clock).toISOString(), received, delivered: received - Math.round(rnd() * 4), failed: Math.round(rnd() * 3) });
    if (buckets.length > 15) buckets.shift();
  };
  for (let i = 0; i < 15; i++) nextBucket();
  let polls = 0;
  let replays = 0;

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/v1/channels', (c) => c.json({ items: channels }));
  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/v1/channels/:name/${action}`, (c) => {
      const ch = channels.find((x) => x.name === c.req.param('name'));
      if (!ch) return problem(c, 404, 'channel.not-found', `no channel named ${c.req.param('name')}`);
      ch.status = action === 'pause' ? 'paused' : 'running';
      return c.json(ch);
    });
  }
  app.get('/api/v1/messages', (c) => {
    const { q, channel, status, correlationId, from, to, limit, cursor } = c.req.query();
    const hits = messages
      .map((v) => v.message)
      .filter((m) => !q || m.id === q || m.controlId === q || Object.values(m.keys).includes(q))
      .filter((m) => !channel || m.channel === channel)
      .filter((m) => !status || m.status === status)
      .filter((m) => !correlationId || m.correlationId === correlationId)
      .filter((m) => (!from || m.receivedAt >= from) && (!to || m.receivedAt <= to))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map(({ id, channel: ch, status: st, receivedAt, contentType, controlId, sourceSystem, correlationId: corr, keys, error }) => ({
        id, channel: ch, status: st, receivedAt, contentType, controlId, sourceSystem, correlationId: corr, keys, ...(error ? { error } : {}),
      }));
    return c.json(paginate(hits, limit, cursor));
  });
  app.get('/api/v1/messages/:id', (c) => {
    const view = messages.find((v) => v.message.id === c.req.param('id'));
    return view ? c.json(view) : problem(c, 404, 'message.not-found', `no message ${c.req.param('id')}`);
  });
  const replay = (messageId: string): string | undefined => {
    const orig = messages.find((v) => v.message.id === messageId);
    if (!orig) return undefined;
    const id = `01JDBLR${String(++replays).padStart(5, '0')}`;
    messages.push({
      ...orig,
      message: { ...orig.message, id, status: 'processed', receivedAt: new Date().toISOString(), causationId: orig.message.id },
      lineage: [{ id: orig.message.id, relation: 'caused-by', channel: orig.message.channel }],
    });
    orig.lineage = [...orig.lineage, { id, relation: 'caused', channel: orig.message.channel }];
    return id;
  };
  app.post('/api/v1/messages/:id/replay', (c) => {
    const id = replay(c.req.param('id'));
    return id ? c.json({ messageId: id }) : problem(c, 404, 'message.not-found', `no message ${c.req.param('id')}`);
  });
  app.get('/api/v1/dead-letters', (c) => {
    const { channel, limit, cursor } = c.req.query();
    return c.json(paginate(deadLetters.filter((d) => !channel || d.channel === channel), limit, cursor));
  });
  app.post('/api/v1/dead-letters/:id/replay', (c) => {
    const dl = deadLetters.find((d) => d.id === c.req.param('id'));
    if (!dl) return problem(c, 404, 'dead-letter.not-found', `no dead letter ${c.req.param('id')}`);
    deadLetters = deadLetters.filter((d) => d !== dl);
    return c.json({ messageId: replay(dl.messageId) ?? dl.messageId });
  });
  app.post('/api/v1/dead-letters/:id/discard', async (c) => {
    const dl = deadLetters.find((d) => d.id === c.req.param('id'));
    if (!dl) return problem(c, 404, 'dead-letter.not-found', `no dead letter ${c.req.param('id')}`);
    const body: unknown = await c.req.json().catch(() => undefined);
    const reason = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
    if (typeof reason !== 'string' || !reason.trim()) {
      return problem(c, 400, 'dead-letter.discard.reason-required', 'discarding needs a reason: send {"reason": "..."}');
    }
    deadLetters = deadLetters.filter((d) => d !== dl);
    return c.json({ id: dl.id, discarded: true, reason });
  });
  app.get('/api/v1/stats/throughput', (c) => {
    // Every poll advances the clock one bucket so the chart visibly moves between polls.
    polls++;
    nextBucket();
    return c.json({ bucketSeconds, buckets });
  });
  // No /api/v1/alerts: the double answers 404 like an engine without observability rules.
  return { app, throughputPolls: () => polls };
}
