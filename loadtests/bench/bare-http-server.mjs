// The machine's ceiling for the ingest bench: the least a JSON endpoint can do (read the body,
// parse it, answer 202) on bare node:http. Runs as its own process so it does not share an event
// loop with the load generator, like the real receiver. Usage: node bare-http-server.mjs PORT
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const ACCEPTED = JSON.stringify({ status: 'accepted' });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let status = 202;
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      status = 400;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(status === 202 ? ACCEPTED : '{"error":{"code":"malformed_json"}}');
  });
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
