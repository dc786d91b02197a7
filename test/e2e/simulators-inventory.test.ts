import { connect as tcpConnect } from 'node:net';
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { listenHttp, readJson, sendJson, waitFor } from '../../src/simulators/http.js';
import { CATALOG, findItem, generateDay, startInventorySimulator, type ConsumptionEvent, type InventorySimulator } from '../../src/simulators/index.js';

const AMQP_URL = process.env.LOOM_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

async function rabbitReachable(): Promise<boolean> {
  const u = new URL(AMQP_URL);
  return new Promise((resolve) => {
    const s = tcpConnect(Number(u.port || 5672), u.hostname);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

const rabbit = await rabbitReachable();
if (!rabbit && process.env.CI !== 'true') console.warn(`[simulators-inventory] RabbitMQ not reachable at ${AMQP_URL}: AMQP test skipped (it runs under CI=true)`);

let inv: InventorySimulator | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { await inv?.stop(); inv = undefined; for (const c of cleanups.splice(0)) await c(); });

function consumptionEvents(): ConsumptionEvent[] {
  return generateDay({ seed: 21, injectRate: 0 }).timeline.flatMap((s) => (s.kind === 'consumption' ? [s.event] : [])).slice(0, 6);
}

describe('inventory simulator', () => {
  it.skipIf(!rabbit && process.env.CI !== 'true')('publishes consumption events to RabbitMQ with message ids', async () => {
    const tag = `${process.pid}-${Date.now()}`;
    const exchange = `loom.test.inventory.${tag}`;
    const queue = `loom.test.consumption.${tag}`;
    inv = await startInventorySimulator({ amqp: { url: AMQP_URL, exchange, queue } });
    const events = consumptionEvents();
    for (const e of events) await inv.publish(e);
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    cleanups.push(async () => { await ch.deleteQueue(queue); await ch.deleteExchange(exchange); await conn.close(); });
    const got: { id: unknown; body: ConsumptionEvent; key: string }[] = [];
    await ch.consume(queue, (m) => { if (m) { got.push({ id: m.properties.messageId, body: JSON.parse(m.content.toString()) as ConsumptionEvent, key: m.fields.routingKey }); ch.ack(m); } });
    await waitFor(() => got.length >= events.length, 5000);
    expect(got.map((g) => g.id)).toEqual(events.map((e) => e.eventId));
    expect(got[0].body).toEqual(events[0]);
    expect(got[0].key).toBe(`consumption.${events[0].location}`);
    expect(inv.stats().amqpPublished).toBe(events.length);
  });

  it('posts events to an HTTP webhook, keeps its stock, and takes replenishment', async () => {
    const received: ConsumptionEvent[] = [];
    let failFirst = true;
    const hook = await listenHttp(async (req, res) => {
      const body = (await readJson(req)) as ConsumptionEvent;
      if (failFirst) { failFirst = false; sendJson(res, 503, {}); return; }
      received.push(body);
      sendJson(res, 202, {});
    });
    cleanups.push(hook.close);
    inv = await startInventorySimulator({ webhooks: [`${hook.url}/events`] });
    const events = consumptionEvents();
    for (const e of events) await inv.publish(e);
    await inv.publish(events[1], 'duplicate-event');
    expect(received.map((e) => e.eventId)).toEqual([...events.slice(1), events[1]].map((e) => e.eventId));
    expect(inv.stats()).toMatchObject({ webhookDelivered: events.length, webhookFailed: 1 });
    expect(inv.stats().log.filter((e) => e.injected === 'duplicate-event')).toHaveLength(1);

    const e0 = events[0];
    const sku = findItem(e0.item)?.sku as string;
    const consumed = events.filter((e) => e.location === e0.location && findItem(e.item)?.sku === sku).reduce((s, e) => s + e.quantity, 0);
    const initial = CATALOG.find((i) => i.sku === sku)?.initialStock as number;
    const stock = (await (await fetch(`${inv.url}/stock?location=${e0.location}`)).json()) as { items: { sku: string; onHand: number }[] };
    // the duplicate did not take stock twice
    const onHandBefore = stock.items.find((r) => r.sku === sku)?.onHand;
    expect(onHandBefore).toBe(initial - consumed);
    const rep = { reference: 'PO-TEST-1', location: e0.location, items: [{ sku, quantity: 5 }] };
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${inv.url}/replenishment`, { method: 'POST', body: JSON.stringify(rep) });
      expect(r.status).toBe(200);
    }
    const after = (await (await fetch(`${inv.url}/stock?location=${e0.location}`)).json()) as { items: { sku: string; onHand: number }[] };
    expect(after.items.find((r) => r.sku === sku)?.onHand).toBe((onHandBefore as number) + 5);
    const bad = await fetch(`${inv.url}/replenishment`, { method: 'POST', body: JSON.stringify({ ...rep, reference: 'PO-X', items: [{ gtin: '00000000000000', quantity: 1 }] }) });
    expect(bad.status).toBe(422);
  });

  it('fails to start with simulator.amqp.unreachable (password hidden) when RabbitMQ is not there', async () => {
    const tmp = await listenHttp(() => undefined);
    const port = tmp.port;
    await tmp.close(); // a port nobody listens on any more
    const err = await startInventorySimulator({ amqp: { url: `amqp://guest:s3cret@127.0.0.1:${port}`, exchange: 'x' } }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'simulator.amqp.unreachable' });
    expect(String((err as Error).message)).not.toContain('s3cret');
  });
});
