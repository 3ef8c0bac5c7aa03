// Postgres as the receiver reaches it, through a loopback TCP proxy whose link the chaos run cuts:
// the receiver sees exactly an outage (connections reset, new ones refused) while the machine's
// shared Postgres, which other databases live on, keeps running.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { RestartableStore } from '@sightline/harness';

export class PostgresLink implements RestartableStore {
  readonly name = 'postgres';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: URL,
    private readonly port: number,
  ) {}

  /** Listens on a free loopback port in front of the database at `databaseUrl`. */
  static async create(databaseUrl: string): Promise<PostgresLink> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const link = new PostgresLink(new URL(databaseUrl), port);
    await link.start();
    return link;
  }

  /** The database URL through the link. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** The proxy runs inside the chaos process. */
  get pid(): number | undefined {
    return this.server ? process.pid : undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** The outage: open connections are reset, new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  killNow(): void {
    void this.stop();
  }
}
