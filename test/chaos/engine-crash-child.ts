// Child process for the crash test: engine + plain node:http intake answering 202 after the receipt.
// argv: <dataDir> <receiverUrl>. Prints {"port":N} when ready. SIGTERM = graceful stop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpOutbound } from '../../src/connectors/http/index.js';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';

const [dataDir, receiverUrl] = process.argv.slice(2);
const store = await openSqliteStore({ dataDir });
const engine = new Engine({ store, maxInFlight: 200 });
engine.applyChannels([{
  name: 'in', sourceSystem: 'load', contentType: 'text/plain',
  destinations: [{ name: 'erp', connector: new HttpOutbound({ url: receiverUrl, method: 'POST', headers: {}, timeoutMs: 2000 }), retry: { maxAttempts: 1000, baseDelayMs: 10, maxDelayMs: 100 } }],
}]);
await engine.start();
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    engine.receive({ channel: 'in', payload: new Uint8Array(Buffer.concat(chunks)) }).then(
      (r) => {
        res.statusCode = 202;
        res.end(r.messageId);
      },
      () => {
        res.statusCode = 503;
        res.end();
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
process.on('SIGTERM', () => {
  server.close();
  void engine.stop().then(() => process.exit(0));
});
