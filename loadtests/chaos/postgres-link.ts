// Postgres as the receiver reaches it, through the harness's loopback TCP proxy whose link the
// chaos run cuts: the receiver sees exactly an outage (connections reset, new ones refused) while
// the machine's shared Postgres, which other databases live on, keeps running.
import { TcpProxy, type RestartableStore } from '@sightline/harness';

export class PostgresLink implements RestartableStore {
  readonly name = 'postgres';
  private up = true;

  private constructor(
    private readonly target: URL,
    private readonly proxy: TcpProxy,
  ) {}

  /** Listens on a free loopback port in front of the database at `databaseUrl`. */
  static async create(databaseUrl: string): Promise<PostgresLink> {
    const target = new URL(databaseUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    return new PostgresLink(target, proxy);
  }

  /** The database URL through the link. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.proxy.port);
    return url.toString();
  }

  /** The proxy runs inside the chaos process. */
  get pid(): number | undefined {
    return this.up ? process.pid : undefined;
  }

  async start(): Promise<void> {
    await this.proxy.restore();
    this.up = true;
  }

  /** The outage: open connections are reset, new ones refused. */
  async stop(): Promise<void> {
    this.up = false;
    await this.proxy.cut();
  }

  killNow(): void {
    void this.stop();
  }
}
