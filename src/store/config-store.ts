// The configuration store: a small document interface that both the SQLite store (embedded default) and the
// PostgreSQL store (scale-out) implement. Domain code only ever sees these types.

/** Document kinds held by the store. Children name their owner in `parent` (e.g. a stage's REST API id). */
export type DocKind =
  | "restapi"
  | "deployment"
  | "stage"
  | "apikey"
  | "usageplan"
  | "account"
  | "domainname"
  | "clientcertificate"
  | "vpclink"
  | "function";

export interface DocChange {
  readonly kind: DocKind;
  readonly id: string;
  readonly parent: string;
  readonly op: "put" | "delete";
}

export interface StoreReader {
  get<T>(kind: DocKind, id: string): Promise<T | undefined>;
  /** Documents of one kind (optionally of one parent), oldest first. */
  list<T>(kind: DocKind, parent?: string): Promise<T[]>;
  count(kind: DocKind, parent?: string): Promise<number>;
}

export interface StoreWriter extends StoreReader {
  /** Inserts or replaces; a replaced document keeps its place in the listing order. */
  put<T>(kind: DocKind, id: string, value: T, parent?: string): Promise<void>;
  delete(kind: DocKind, id: string): Promise<boolean>;
}

export interface ConfigStore {
  readonly reader: StoreReader;
  /** Runs `fn` as one atomic, serialised transaction: all of its writes land, or none do. */
  write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T>;
  /** Called after each committed transaction with what it changed. Returns an unsubscribe function. */
  onChange(listener: (changes: readonly DocChange[]) => void): () => void;
  close(): Promise<void>;
}
