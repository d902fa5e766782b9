// `tollgate serve` with TOLLGATE_WORKERS = N > 1: the primary prepares what workers would otherwise race to
// create on a fresh data dir — admin credentials, the data plane's certificate, the stores' schemas — then forks
// N workers that each run a whole gateway. node:cluster shares the management and data-plane listeners between
// them (the primary accepts and hands connections round-robin). A worker that exits is replaced, with a backoff
// when it keeps crashing; SIGTERM/SIGINT stop every worker gracefully and then the primary.
// A worker that fails before it is ready (bad port, unreachable database) stops the whole cluster with its exit
// code instead of being restarted in a loop: that is a configuration problem, not a crash.
//
// What the workers share: the configuration store and the usage store (SQLite files in the data dir with
// several writers, or PostgreSQL), so quotas stay exact; throttling buckets are shared only through Redis
// (TOLLGATE_REDIS_URL) — without it each worker holds its own buckets and throttle limits multiply by N.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { credentialsBanner, loadAdminCredentials } from "../auth/admin-credentials.js";
import type { TollgateConfig } from "../config.js";
import { loadTlsMaterial } from "../dataplane/wire/tls-certificate.js";
import { createLogger } from "../logging/logger.js";
import { serveClusterMetrics } from "../observability/cluster-metrics.js";
import { openConfigStore } from "../store/open-store.js";
import { openUsageStore } from "../store/open-usage-store.js";
import { isWorkerReady } from "./worker-messages.js";

/** How long stopping workers may take before they are killed. */
const STOP_GRACE_MS = 10_000;
/** Restart delays double for each crash within this window, up to MAX_RESTART_DELAY_MS. */
const CRASH_WINDOW_MS = 30_000;
const MAX_RESTART_DELAY_MS = 5_000;

interface WorkerSlot {
  worker: Worker;
  ready: boolean;
  crashes: number[];
}

/** Runs the primary until the cluster stops; resolves with the process exit code. */
export async function runClusterPrimary(config: TollgateConfig, announce: (text: string) => void, logger: Logger = createLogger(config.logLevel)): Promise<number> {
  // Done once here so workers only ever read them (credentials are created with O_EXCL, the certificate is not).
  const { credentials, generated } = loadAdminCredentials(config.dataDir, config.adminAccessKeyId, config.adminSecretAccessKey);
  await loadTlsMaterial(config);
  const store = await openConfigStore(config, logger);
  await store.close();
  const usage = await openUsageStore(config, logger);
  await usage.close();

  serveClusterMetrics();
  const slots = new Map<number, WorkerSlot>();
  let everyoneReady = false;
  let stopping = false;
  let exitCode = 0;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));

  const fork = (index: number, crashes: number[]): void => {
    const worker = cluster.fork();
    slots.set(index, { worker, ready: false, crashes });
    worker.on("message", (message: unknown) => {
      if (!isWorkerReady(message)) return;
      const slot = slots.get(index);
      if (slot?.worker !== worker) return;
      slot.ready = true;
      if (everyoneReady) {
        logger.info({ worker: index, workerPid: worker.process.pid }, "replacement worker ready");
        return;
      }
      if ([...slots.values()].every((s) => s.ready)) {
        everyoneReady = true;
        if (generated) announce(credentialsBanner(credentials, config.region, message.adminUrl));
        const pids = [...slots.values()].map((s) => s.worker.process.pid);
        logger.info({ workers: config.workers, pids, adminUrl: message.adminUrl, dataPort: message.dataPort }, "cluster ready");
      }
    });
    worker.on("exit", (code, signal) => {
      const slot = slots.get(index);
      if (slot?.worker !== worker) return;
      if (stopping) {
        slots.delete(index);
        if (slots.size === 0) resolveExit(exitCode);
        return;
      }
      if (!slot.ready && !everyoneReady) {
        logger.error({ worker: index, code, signal }, "worker failed to start; stopping the cluster");
        stopAll(typeof code === "number" && code !== 0 ? code : 1);
        return;
      }
      const now = Date.now();
      const recent = slot.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
      recent.push(now);
      const delay = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** (recent.length - 1));
      logger.warn({ worker: index, workerPid: worker.process.pid, code, signal, restartInMs: delay }, "worker exited; restarting it");
      setTimeout(() => {
        if (!stopping) fork(index, recent);
      }, delay);
    });
  };

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const live = [...slots.entries()].filter(([, s]) => !s.worker.isDead());
    for (const [index] of slots) if (!live.some(([i]) => i === index)) slots.delete(index);
    if (live.length === 0) {
      resolveExit(code);
      return;
    }
    for (const [, s] of live) s.worker.process.kill("SIGTERM");
    const killer = setTimeout(() => {
      for (const [, s] of live) if (!s.worker.isDead()) s.worker.process.kill("SIGKILL");
    }, STOP_GRACE_MS);
    killer.unref();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, "stopping the cluster");
    stopAll(0);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  for (let i = 0; i < config.workers; i++) fork(i, []);
  await exited;
  logger.info({ exitCode }, "cluster stopped");
  return exitCode;
}
