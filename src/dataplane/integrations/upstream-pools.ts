// One keep-alive connection pool per backend origin, shared by every compiled stage of the process: redeploying
// an API must not drop warm connections, and two APIs in front of the same backend share them.
import { Pool } from "undici";

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  /** `insecure` = the integration's `tlsConfig.insecureSkipVerification`; such pools are kept apart. */
  get(origin: string, insecure: boolean): Pool {
    const key = insecure ? `insecure ${origin}` : origin;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        pipelining: 1,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        connect: insecure ? { rejectUnauthorized: false } : {},
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
