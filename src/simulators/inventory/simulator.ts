import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { LoomError } from '../../kernel/errors.js';
import { isRecord, listenHttp, readJson, sendJson } from '../http.js';
import { SimLog, type InjectedKind, type SimLogEntry } from '../sim-log.js';
import type { ConsumptionEvent } from '../scenario/types.js';
import { StockBook } from './stock.js';

export interface InventoryAmqpTarget {
  /** e.g. amqp://guest:guest@127.0.0.1:5672 */
  url: string;
  /** Topic exchange the events go to (declared durable); routing key `consumption.<location>`. */
  exchange: string;
  /** Optional queue declared and bound to the exchange (`#`), so nothing is lost before a consumer starts. */
  queue?: string;
}

export interface InventorySimulatorOptions {
  port?: number;
  host?: string;
  amqp?: InventoryAmqpTarget;
  /** URLs that get each event as a JSON POST. */
  webhooks?: string[];
  logFile?: string;
}

export interface InventoryStats {
  published: number;
  amqpPublished: number;
  webhookDelivered: number;
  webhookFailed: number;
  replenishments: number;
  log: SimLogEntry[];
}

export interface InventorySimulator {
  url: string;
  port: number;
  /** Publish a consumption event (AMQP and/or webhooks) and take it off the shelf once per eventId. */
  publish(event: ConsumptionEvent, injected?: InjectedKind): Promise<void>;
  /** Put stock back (replenishment receipt); idempotent per reference + SKU. */
  replenish(location: string, item: { sku?: string; gtin?: string }, quantity: number, reference: string): boolean;
  stock(): Record<string, Record<string, number>>;
  stats(): InventoryStats;
  stop(): Promise<void>;
}

/**
 * The point-of-use inventory platform: publishes consumption events to RabbitMQ or webhooks,
 * answers `GET /stock?location=`, and takes replenishment at `POST /replenishment`.
 *
 * @example
 * const inv = await startInventorySimulator({ amqp: { url: 'amqp://guest:guest@127.0.0.1:5672', exchange: 'inventory' } });
 * await inv.publish(event);
 */
export async function startInventorySimulator(options: InventorySimulatorOptions = {}): Promise<InventorySimulator> {
  const log = new SimLog('inventory', { file: options.logFile });
  const book = new StockBook();
  const applied = new Set<string>();
  const received = new Set<string>();
  const counts = { published: 0, amqpPublished: 0, webhookDelivered: 0, webhookFailed: 0, replenishments: 0 };
  let conn: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  if (options.amqp) {
    try {
      conn = await amqp.connect(options.amqp.url);
    } catch (cause) {
      throw new LoomError('simulator.amqp.unreachable', `cannot connect to RabbitMQ at ${redact(options.amqp.url)}`, {
        hint: 'start RabbitMQ (e.g. docker run -p 5672:5672 rabbitmq) or publish with --webhook instead', cause,
      });
    }
    channel = await conn.createConfirmChannel();
    await channel.assertExchange(options.amqp.exchange, 'topic', { durable: true });
    if (options.amqp.queue) {
      await channel.assertQueue(options.amqp.queue, { durable: true });
      await channel.bindQueue(options.amqp.queue, options.amqp.exchange, '#');
    }
  }

  function replenish(location: string, item: { sku?: string; gtin?: string }, quantity: number, reference: string): boolean {
    const key = `${reference}|${location}|${item.sku ?? item.gtin ?? ''}`;
    if (received.has(key)) { log.write('replenish.duplicate', { reference, location, ...item }); return true; }
    const sku = book.move(location, item, quantity);
    if (sku === undefined) return false;
    received.add(key);
    counts.replenishments++;
    log.write('replenished', { reference, location, sku, quantity, onHand: book.level(location, sku) });
    return true;
  }

  const listener = await listenHttp(async (req, res, url) => {
    if (req.method === 'GET' && url.pathname === '/stock') {
      const loc = url.searchParams.get('location') ?? undefined;
      sendJson(res, 200, { location: loc ?? null, items: book.rows(loc) });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/replenishment') {
      const b = await readJson(req);
      if (!isRecord(b) || typeof b.location !== 'string' || !Array.isArray(b.items) || typeof b.reference !== 'string') {
        sendJson(res, 400, { error: 'send {"reference":"PO-1","location":"OR-1","items":[{"sku"|"gtin","quantity"}]}' });
        return;
      }
      const unknown: unknown[] = [];
      for (const row of b.items) {
        if (!isRecord(row) || typeof row.quantity !== 'number') { unknown.push(row); continue; }
        const item = { ...(typeof row.sku === 'string' ? { sku: row.sku } : {}), ...(typeof row.gtin === 'string' ? { gtin: row.gtin } : {}) };
        if (!replenish(b.location, item, row.quantity, b.reference)) unknown.push(row);
      }
      sendJson(res, unknown.length ? 422 : 200, { location: b.location, unknown, items: book.rows(b.location) });
      return;
    }
    if (url.pathname === '/__sim/state') { sendJson(res, 200, { stock: book.snapshot(), stats: counts }); return; }
    sendJson(res, 404, { error: `no route ${url.pathname}` });
  }, options);

  async function publish(event: ConsumptionEvent, injected?: InjectedKind): Promise<void> {
    counts.published++;
    const body = JSON.stringify(event);
    if (channel && options.amqp) {
      const ch = channel;
      const target = options.amqp;
      await new Promise<void>((resolve, reject) => {
        ch.publish(target.exchange, `consumption.${event.location}`, Buffer.from(body), {
          persistent: true, contentType: 'application/json', messageId: event.eventId, timestamp: Math.floor(Date.now() / 1000), type: 'inventory.consumption',
        }, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
      });
      counts.amqpPublished++;
    }
    for (const hook of options.webhooks ?? []) {
      try {
        const r = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-event-id': event.eventId }, body });
        if (r.status >= 200 && r.status < 300) counts.webhookDelivered++;
        else { counts.webhookFailed++; log.write('webhook.failed', { hook, status: r.status, eventId: event.eventId }); }
      } catch (err) {
        counts.webhookFailed++;
        log.write('webhook.failed', { hook, error: err instanceof Error ? err.message : String(err), eventId: event.eventId });
      }
    }
    // the platform's own shelf counts an event once, however often it is (re)published
    if (!applied.has(event.eventId)) {
      applied.add(event.eventId);
      book.move(event.location, event.item, -event.quantity);
    }
    log.write('published', { eventId: event.eventId, location: event.location, item: event.item, quantity: event.quantity, ...(injected ? { injected } : {}) });
  }

  return {
    url: listener.url,
    port: listener.port,
    publish,
    replenish,
    stock: () => book.snapshot(),
    stats: () => ({ ...counts, log: [...log.entries] }),
    async stop() {
      await channel?.close().catch(() => undefined);
      await conn?.close().catch(() => undefined);
      await listener.close();
    },
  };
}

/** amqp://user:password@host → amqp://user:***@host, so errors never print the password. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
