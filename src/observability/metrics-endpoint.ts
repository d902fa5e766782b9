// `GET /metrics` on the management listener, for Prometheus scrapers: unsigned (scrapers do not speak SigV4),
// which is why it is answered before SigV4 verification; the management listener is loopback by default.
import cluster from "node:cluster";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { GatewayServices } from "../admin/operation.js";
import { clusterMetricsText } from "./cluster-metrics.js";
import { isGatewayMetrics } from "./gateway-metrics.js";

export const METRICS_PATH = "/metrics";

/** Answers the scrape and returns true when `req` is `GET /metrics` and the gateway has metrics; false otherwise. */
export function serveMetricsScrape(req: IncomingMessage, res: ServerResponse, rawPath: string, services: GatewayServices, logger: Logger): boolean {
  if (rawPath !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const metrics = services["metrics"];
  if (!isGatewayMetrics(metrics)) return false;
  req.resume();
  const text = cluster.isWorker && process.send !== undefined ? clusterMetricsText() : metrics.registry.metrics();
  text.then(
    (body) => {
      const payload = Buffer.from(body);
      res.writeHead(200, { "Content-Type": metrics.registry.contentType, "Content-Length": payload.length });
      res.end(req.method === "HEAD" ? undefined : payload);
    },
    (err: Error) => {
      logger.error({ err: err.message }, "metrics scrape failed");
      res.writeHead(503, { "Content-Type": "text/plain" }).end("metrics unavailable\n");
    },
  );
  return true;
}
