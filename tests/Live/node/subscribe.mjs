// Subscribes with the official graphql-ws client and prints one JSON line per message:
// {"connected":true}, {"next":<result>}, {"error":<errors or reason>}, {"complete":true}, {"closed":<code>}.
// usage: node subscribe.mjs <ws-url> <token|-> <query> <variables-json> <max-events>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variablesJson, maxText] = process.argv.slice(2);
const max = Number(maxText);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  connectionParams: token === '-' ? {} : { Authorization: `Bearer ${token}` },
  on: {
    connected: () => print({ connected: true }),
    closed: (e) => print({ closed: e?.code ?? null, reason: e?.reason ?? null }),
  },
});
let received = 0;
const done = (code) => { client.dispose(); setTimeout(() => process.exit(code), 100); };
client.subscribe(
  { query, variables: JSON.parse(variablesJson) },
  {
    next: (result) => { print({ next: result }); if (++received >= max) done(0); },
    error: (err) => { print({ error: Array.isArray(err) ? err : String(err?.code ?? err?.message ?? err) }); done(0); },
    complete: () => { print({ complete: true }); done(0); },
  },
);
