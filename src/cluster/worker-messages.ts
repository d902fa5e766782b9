// What a worker tells the cluster primary over the IPC channel (node:cluster), shared by both sides.

export const WORKER_READY = "tollgate:worker-ready";

/** Sent once the worker's management API and data plane are listening. */
export interface WorkerReady {
  readonly type: typeof WORKER_READY;
  readonly adminUrl: string;
  readonly dataPort: number;
}

export const isWorkerReady = (m: unknown): m is WorkerReady =>
  typeof m === "object" && m !== null && (m as { type?: unknown }).type === WORKER_READY;
