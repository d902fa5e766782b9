// PostgreSQL implementation of the configuration store, for several Tollgate nodes sharing one database.
// Writes are transactions serialised cluster-wide by an advisory lock (management writes are rare; this keeps
// read-modify-write of an aggregate as simple as in SQLite). Changes reach other nodes through LISTEN/NOTIFY,
// sent inside the transaction so they are delivered exactly when it commits.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Logger } from "pino";
import type { ConfigStore, DocChange, DocKind, StoreReader, StoreWriter } from "./config-store.js";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";

const CHANNEL = "tollgate_config";
/** Arbitrary constants naming Tollgate's advisory locks. */
const WRITE_LOCK = 747_001;
const MIGRATION_LOCK = 747_002;

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

class PgReader implements StoreReader {
  constructor(protected readonly db: Queryable) {}

  async get<T>(kind: DocKind, id: string): Promise<T | undefined> {
    const { rows } = await this.db.query<{ body: string }>("SELECT body FROM docs WHERE kind = $1 AND id = $2", [kind, id]);
    // The body was written by put<T> for this kind, so it parses back to T.
    return rows[0] ? (JSON.parse(rows[0].body) as T) : undefined;
  }

  async list<T>(kind: DocKind, parent?: string): Promise<T[]> {
    const { rows } =
      parent === undefined
        ? await this.db.query<{ body: string }>("SELECT body FROM docs WHERE kind = $1 ORDER BY seq", [kind])
        : await this.db.query<{ body: string }>("SELECT body FROM docs WHERE kind = $1 AND parent = $2 ORDER BY seq", [kind, parent]);
    return rows.map((r) => JSON.parse(r.body) as T);
  }

  async count(kind: DocKind, parent?: string): Promise<number> {
    const { rows } =
      parent === undefined
        ? await this.db.query<{ n: string }>("SELECT count(*) AS n FROM docs WHERE kind = $1", [kind])
        : await this.db.query<{ n: string }>("SELECT count(*) AS n FROM docs WHERE kind = $1 AND parent = $2", [kind, parent]);
    return Number(rows[0]!.n);
  }
}

class PgWriter extends PgReader implements StoreWriter {
  readonly changes: DocChange[] = [];

  async put<T>(kind: DocKind, id: string, value: T, parent = ""): Promise<void> {
    await this.db.query(
      `INSERT INTO docs (kind, id, parent, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, body = excluded.body`,
      [kind, id, parent, JSON.stringify(value)],
    );
    this.changes.push({ kind, id, parent, op: "put" });
  }

  async delete(kind: DocKind, id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ parent: string }>("DELETE FROM docs WHERE kind = $1 AND id = $2 RETURNING parent", [kind, id]);
    if (rows[0]) this.changes.push({ kind, id, parent: rows[0].parent, op: "delete" });
    return rows.length > 0;
  }
}

interface Notice {
  node: string;
  changes: DocChange[];
}

export class PostgresConfigStore implements ConfigStore {
  readonly reader: StoreReader;
  private readonly node = randomUUID();
  private readonly listeners = new Set<(changes: readonly DocChange[]) => void>();
  private listenClient: pg.Client | undefined;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly logger: Logger | undefined,
  ) {
    this.reader = new PgReader(pool);
  }

  static async open(url: string, logger?: Logger): Promise<PostgresConfigStore> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    pool.on("error", (err) => logger?.warn({ err }, "idle PostgreSQL connection failed"));
    const store = new PostgresConfigStore(pool, url, logger);
    try {
      await store.migrate();
      await store.listen();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
      const applied = new Set(rows.map((r) => r.version));
      for (const m of POSTGRES_MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [m.version]);
      }
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      const notice = JSON.parse(msg.payload) as Notice;
      // Local listeners already heard about this node's own commits.
      if (notice.node !== this.node) this.emit(notice.changes);
    });
    client.on("error", (err) => {
      this.logger?.warn({ err }, "PostgreSQL change listener lost; reconnecting");
      this.listenClient = undefined;
      client.end().catch(() => undefined);
      this.scheduleRelisten();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listenClient = client;
  }

  private scheduleRelisten(): void {
    if (this.closed) return;
    setTimeout(() => {
      this.listen().catch((err: unknown) => {
        this.logger?.warn({ err }, "PostgreSQL change listener reconnect failed");
        this.scheduleRelisten();
      });
    }, 500).unref();
  }

  private emit(changes: readonly DocChange[]): void {
    for (const l of this.listeners) l(changes);
  }

  async write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const writer = new PgWriter(client);
    let result: T;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [WRITE_LOCK]);
      result = await fn(writer);
      if (writer.changes.length > 0) {
        // NOTIFY payloads are limited to 8000 bytes: send changes in slices.
        for (let i = 0; i < writer.changes.length; i += 40) {
          const notice: Notice = { node: this.node, changes: writer.changes.slice(i, i + 40) };
          await client.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(notice)]);
        }
      }
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (writer.changes.length > 0) this.emit(writer.changes);
    return result;
  }

  onChange(listener: (changes: readonly DocChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listenClient?.end().catch(() => undefined);
    await this.pool.end();
  }
}
