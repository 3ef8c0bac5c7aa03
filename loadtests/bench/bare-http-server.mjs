// The machine's ceiling for the ingest bench: the least a JSON endpoint can do (read the body,
// parse it, answer 202) on bare node:http. Runs as its own process so it does not share an event
// loop with the load generator, like the real receiver. With WORKERS > 1 it runs as a node:cluster
// of that many processes, as the receiver does with INGEST_WORKERS (the same-process-count baseline).
// Usage: node bare-http-server.mjs PORT [WORKERS]
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const workers = Number(process.argv[3] ?? '1');
const ACCEPTED = JSON.stringify({ status: 'accepted' });

if (workers > 1 && cluster.isPrimary) {
  const children = Array.from({ length: workers }, () => cluster.fork());
  process.on('SIGTERM', () => {
    let left = children.length;
    for (const child of children) {
      child.once('exit', () => --left === 0 && process.exit(0));
      child.process.kill('SIGTERM');
    }
  });
} else {
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
}
