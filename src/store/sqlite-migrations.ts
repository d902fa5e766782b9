// Versioned schema migrations of the SQLite store, applied in order at start-up, each in its own transaction.
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE docs (
        kind   TEXT    NOT NULL,
        id     TEXT    NOT NULL,
        parent TEXT    NOT NULL DEFAULT '',
        seq    INTEGER NOT NULL,
        body   TEXT    NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX docs_by_parent ON docs (kind, parent, seq);
      CREATE INDEX docs_by_seq ON docs (seq);
    `,
  },
  {
    // A log of committed changes, so that other processes sharing the file (TOLLGATE_WORKERS) hear about them.
    version: 2,
    sql: `
      CREATE TABLE changes (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL,
        kind   TEXT NOT NULL,
        id     TEXT NOT NULL,
        parent TEXT NOT NULL,
        op     TEXT NOT NULL
      );
    `,
  },
];
