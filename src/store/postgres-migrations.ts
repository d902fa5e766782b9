// Versioned schema migrations of the PostgreSQL store, applied in order at start-up under an advisory lock so
// that several nodes starting together migrate once.
import type { Migration } from "./sqlite-migrations.js";

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE SEQUENCE docs_seq;
      CREATE TABLE docs (
        kind   TEXT   NOT NULL,
        id     TEXT   NOT NULL,
        parent TEXT   NOT NULL DEFAULT '',
        seq    BIGINT NOT NULL DEFAULT nextval('docs_seq'),
        body   TEXT   NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX docs_by_parent ON docs (kind, parent, seq);
    `,
  },
];
