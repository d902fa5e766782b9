// Prometheus metrics of one gateway process (observability.md §1 suggests a Prometheus mapping of API Gateway's
// CloudWatch metrics). Hot-path counts are kept in plain Maps and copied into prom-client only when scraped, so
// counting a request costs two small Map lookups keyed by the compiled stage and the status, not prom-client's
// label hashing.
// Under `TOLLGATE_WORKERS` > 1 each worker holds its own counters; a scrape that lands on any worker asks the
// cluster primary, which sums every worker's registry (prom-client's AggregatorRegistry) — see cluster-metrics.ts.
import cluster from "node:cluster";
import { Counter, Registry } from "prom-client";
import { joinClusterMetrics } from "./cluster-metrics.js";

export interface MetricSources {
  /** Throttling decisions taken by the outage policy while Redis was unreachable. */
  readonly limiterOutageDecisions: () => number;
  /** Stage cache lookups answered from the cache and not (CloudWatch's CacheHitCount / CacheMissCount). */
  readonly cacheStats?: () => { readonly hits: number; readonly misses: number };
}

interface RequestCount {
  readonly api: string;
  readonly stage: string;
  readonly status: string;
  count: number;
}

/** Latency buckets in milliseconds (upper bounds), up to the 29 s integration timeout; +Inf follows. */
const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000] as const;

/** Per-stage latency observations, counted in plain arrays on the request path and exported on scrape. */
class LatencyHistogram {
  readonly buckets = new Float64Array(LATENCY_BUCKETS_MS.length + 1);
  sum = 0;
  count = 0;

  constructor(
    readonly api: string,
    readonly stage: string,
  ) {}

  observe(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.buckets[i]!++;
    this.sum += ms;
    this.count++;
  }
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

/**
 * A Prometheus histogram whose observations live in LatencyHistogram objects: registered with prom-client as a
 * metric of type histogram (so the text format and the cluster aggregation treat it like prom-client's own), but
 * observing costs a few comparisons instead of prom-client's label hashing per request.
 */
function histogramMetric(name: string, help: string, source: () => Iterable<LatencyHistogram>) {
  return {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => {
      const values: MetricValue[] = [];
      for (const h of source()) {
        const labels = { api: h.api, stage: h.stage };
        let cumulative = 0;
        for (let i = 0; i < h.buckets.length; i++) {
          cumulative += h.buckets[i]!;
          const le = i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i]! : "+Inf";
          values.push({ value: cumulative, labels: { ...labels, le }, metricName: `${name}_bucket` });
        }
        values.push({ value: h.sum, labels, metricName: `${name}_sum` }, { value: h.count, labels, metricName: `${name}_count` });
      }
      return { name, help, type: "histogram", values, aggregator: "sum" };
    },
    reset: () => {},
  };
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Map<string, RequestCount>();
  /** The same counters, found by the stage object a request resolved to (a redeploy makes a new one). */
  private readonly byStage = new WeakMap<object, Map<number, RequestCount>>();
  private readonly noStage = new Map<number, RequestCount>();
  /** `Latency` and `IntegrationLatency` (observability.md §1) per API and stage, shared by a stage's redeploys. */
  private readonly latencies = new Map<string, { latency: LatencyHistogram; integration: LatencyHistogram }>();
  private readonly latencyByStage = new WeakMap<object, { latency: LatencyHistogram; integration: LatencyHistogram }>();

  constructor(sources: MetricSources) {
    // Counters whose truth lives elsewhere: `collect` (run on every scrape) copies the current totals in.
    new Counter({
      name: "tollgate_limiter_outage_decisions_total",
      help: "Throttling decisions made by the Redis outage policy (local fallback or refusal) while Redis was unreachable",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sources.limiterOutageDecisions());
      },
    });
    const cacheStats = sources.cacheStats;
    if (cacheStats) {
      for (const [name, help, pick] of [
        ["tollgate_cache_hits_total", "Stage cache lookups answered from the cache (CacheHitCount)", (s: { hits: number }) => s.hits],
        ["tollgate_cache_misses_total", "Stage cache lookups that went to the integration (CacheMissCount)", (s: { misses: number }) => s.misses],
      ] as const) {
        new Counter({
          name,
          help,
          registers: [this.registry],
          collect() {
            this.reset();
            this.inc(pick(cacheStats() as { hits: number; misses: number }));
          },
        });
      }
    }
    const latencies = this.latencies;
    const register = (metric: ReturnType<typeof histogramMetric>): void =>
      this.registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
    register(
      histogramMetric("tollgate_latency_ms", "Time from receiving a request to its response, per API id and stage (CloudWatch Latency)", () =>
        [...latencies.values()].map((l) => l.latency),
      ),
    );
    register(
      histogramMetric(
        "tollgate_integration_latency_ms",
        "Time spent in the backend call, for requests that made one, per API id and stage (CloudWatch IntegrationLatency)",
        () => [...latencies.values()].map((l) => l.integration),
      ),
    );
    const requests = this.requests;
    new Counter({
      name: "tollgate_requests_total",
      help: "Data-plane requests by API id, stage and response status (unknown API or stage: empty labels)",
      labelNames: ["api", "stage", "status"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const r of requests.values()) this.inc({ api: r.api, stage: r.stage, status: r.status }, r.count);
      },
    });
  }

  /** Counts one finished data-plane request; `stage` is undefined for requests that matched no API or stage. */
  countRequest(stage: { readonly apiId: string; readonly stageName: string } | undefined, status: number): void {
    let counts = this.noStage;
    if (stage !== undefined) {
      counts = this.byStage.get(stage) ?? new Map();
      if (counts.size === 0) this.byStage.set(stage, counts);
    }
    let entry = counts.get(status);
    if (entry === undefined) {
      entry = this.entryFor(stage?.apiId ?? "", stage?.stageName ?? "", status);
      counts.set(status, entry);
    }
    entry.count++;
  }

  /** Records a finished request's latency, and its integration's when a backend was called (not MOCK). */
  observeLatency(stage: { readonly apiId: string; readonly stageName: string }, latencyMs: number, integrationMs: number | undefined): void {
    let pair = this.latencyByStage.get(stage);
    if (pair === undefined) {
      const key = `${stage.apiId}\u0000${stage.stageName}`;
      pair = this.latencies.get(key);
      if (pair === undefined) {
        pair = { latency: new LatencyHistogram(stage.apiId, stage.stageName), integration: new LatencyHistogram(stage.apiId, stage.stageName) };
        this.latencies.set(key, pair);
      }
      this.latencyByStage.set(stage, pair);
    }
    pair.latency.observe(latencyMs);
    if (integrationMs !== undefined) pair.integration.observe(integrationMs);
  }

  private entryFor(api: string, stage: string, status: number): RequestCount {
    const key = `${api}\u0000${stage}\u0000${status}`;
    let entry = this.requests.get(key);
    if (entry === undefined) {
      entry = { api, stage, status: String(status), count: 0 };
      this.requests.set(key, entry);
    }
    return entry;
  }
}

export function isGatewayMetrics(value: unknown): value is GatewayMetrics {
  return value instanceof GatewayMetrics;
}

/** The gateway's metrics; a cluster worker also offers them to the primary's aggregation (cluster-metrics.ts). */
export function createGatewayMetrics(sources: MetricSources): GatewayMetrics {
  const metrics = new GatewayMetrics(sources);
  if (cluster.isWorker) joinClusterMetrics(metrics.registry);
  return metrics;
}
