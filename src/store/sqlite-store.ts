// SQLite implementation of the configuration store (better-sqlite3, WAL mode). One connection writes, inside
// BEGIN IMMEDIATE transactions serialised by a promise chain; a second connection reads committed state only.
// Every transaction also appends its changes to a log table that other processes sharing the file tail.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { join } from "node:path";
import type { ConfigStore, DocChange, DocKind, StoreReader, StoreWriter } from "./config-store.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";

type Db = Database.Database;

interface DocRow {
  body: string;
}

class SqliteReader implements StoreReader {
  private readonly getStmt;
  private readonly listAll;
  private readonly listByParent;
  private readonly countAll;
  private readonly countByParent;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], DocRow>("SELECT body FROM docs WHERE kind = ? AND id = ?");
    this.listAll = db.prepare<[string], DocRow>("SELECT body FROM docs WHERE kind = ? ORDER BY seq");
    this.listByParent = db.prepare<[string, string], DocRow>("SELECT body FROM docs WHERE kind = ? AND parent = ? ORDER BY seq");
    this.countAll = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM docs WHERE kind = ?");
    this.countByParent = db.prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM docs WHERE kind = ? AND parent = ?");
  }

  async get<T>(kind: DocKind, id: string): Promise<T | undefined> {
    const row = this.getStmt.get(kind, id);
    // The body was written by put<T> for this kind, so it parses back to T.
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  async list<T>(kind: DocKind, parent?: string): Promise<T[]> {
    const rows = parent === undefined ? this.listAll.all(kind) : this.listByParent.all(kind, parent);
    return rows.map((r) => JSON.parse(r.body) as T);
  }

  async count(kind: DocKind, parent?: string): Promise<number> {
    return (parent === undefined ? this.countAll.get(kind) : this.countByParent.get(kind, parent))!.n;
  }
}

class SqliteWriter extends SqliteReader implements StoreWriter {
  readonly changes: DocChange[] = [];
  private readonly log;
  private readonly upsert;
  private readonly remove;

  constructor(db: Db, private readonly origin: string) {
    super(db);
    this.log = db.prepare("INSERT INTO changes (origin, kind, id, parent, op) VALUES (?, ?, ?, ?, ?)");
    this.upsert = db.prepare(
      `INSERT INTO docs (kind, id, parent, seq, body)
       VALUES (@kind, @id, @parent, (SELECT coalesce(max(seq), 0) + 1 FROM docs), @body)
       ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, body = excluded.body`,
    );
    this.remove = db.prepare<[string, string], { parent: string }>("DELETE FROM docs WHERE kind = ? AND id = ? RETURNING parent");
  }

  async put<T>(kind: DocKind, id: string, value: T, parent = ""): Promise<void> {
    this.upsert.run({ kind, id, parent, body: JSON.stringify(value) });
    this.record({ kind, id, parent, op: "put" });
  }

  async delete(kind: DocKind, id: string): Promise<boolean> {
    const row = this.remove.get(kind, id);
    if (row) this.record({ kind, id, parent: row.parent, op: "delete" });
    return row !== undefined;
  }

  private record(change: DocChange): void {
    this.changes.push(change);
    this.log.run(this.origin, change.kind, change.id, change.parent, change.op);
  }
}

export class SqliteConfigStore implements ConfigStore {
  readonly reader: StoreReader;
  private readonly writeDb: Db;
  private readonly readDb: Db;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(changes: readonly DocChange[]) => void>();
  private readonly origin = randomUUID();
  private readonly tail;
  private readonly trim;
  private lastSeen: number;
  private readonly poller: NodeJS.Timeout;

  constructor(dataDir: string, fileName = "tollgate.db") {
    const file = join(dataDir, fileName);
    this.writeDb = new Database(file);
    this.writeDb.pragma("journal_mode = WAL");
    // FULL: a committed management write survives power loss, not only a killed process.
    this.writeDb.pragma("synchronous = FULL");
    this.writeDb.pragma("busy_timeout = 5000");
    migrate(this.writeDb);
    this.readDb = new Database(file, { readonly: true });
    this.readDb.pragma("busy_timeout = 5000");
    this.reader = new SqliteReader(this.readDb);
    this.tail = this.readDb.prepare<[number, string], { seq: number; kind: DocKind; id: string; parent: string; op: "put" | "delete" }>(
      "SELECT seq, kind, id, parent, op FROM changes WHERE seq > ? AND origin != ? ORDER BY seq",
    );
    this.trim = this.writeDb.prepare("DELETE FROM changes WHERE seq < (SELECT max(seq) FROM changes) - 10000");
    this.lastSeen = this.readDb.prepare<[], { s: number | null }>("SELECT max(seq) AS s FROM changes").get()!.s ?? 0;
    // Other processes' commits (several workers on one data dir) arrive within this interval.
    this.poller = setInterval(() => this.pollChanges(), 100);
    this.poller.unref();
  }

  private pollChanges(): void {
    const rows = this.tail.all(this.lastSeen, this.origin);
    if (rows.length === 0) return;
    this.lastSeen = rows[rows.length - 1]!.seq;
    const changes: DocChange[] = rows.map(({ kind, id, parent, op }) => ({ kind, id, parent, op }));
    for (const l of this.listeners) l(changes);
  }

  write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const writer = new SqliteWriter(this.writeDb, this.origin);
      this.writeDb.exec("BEGIN IMMEDIATE");
      let result: T;
      try {
        result = await fn(writer);
        // Keep the change log short: readers that fell more than 10,000 changes behind were long gone.
        if (writer.changes.length > 0 && Math.random() < 0.01) this.trim.run();
        this.writeDb.exec("COMMIT");
      } catch (err) {
        if (this.writeDb.inTransaction) this.writeDb.exec("ROLLBACK");
        throw err;
      }
      if (writer.changes.length > 0) for (const l of this.listeners) l(writer.changes);
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  onChange(listener: (changes: readonly DocChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    await this.queue;
    this.readDb.close();
    this.writeDb.close();
  }
}

function migrate(db: Db): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  const applied = new Set(db.prepare<[], { version: number }>("SELECT version FROM schema_migrations").all().map((r) => r.version));
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
    }).immediate();
  }
}
