import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { GatewayMetrics } from "../../src/observability/gateway-metrics.js";

describe("latency histograms", () => {
  test("cumulative buckets, sum and count per API and stage; integration latency only when observed", async () => {
    const metrics = new GatewayMetrics({ limiterOutageDecisions: () => 0 });
    const stage = { apiId: "a1", stageName: "dev" };
    metrics.observeLatency(stage, 3.5, 1.25);
    metrics.observeLatency(stage, 40, undefined);
    // A redeploy compiles a new stage object; its requests still count for a1/dev.
    metrics.observeLatency({ apiId: "a1", stageName: "dev" }, 0.5, 0.25);
    const text = await metrics.registry.metrics();
    assert.match(text, /^# TYPE tollgate_latency_ms histogram$/m);
    assert.match(text, /^tollgate_latency_ms_bucket\{api="a1",stage="dev",le="1"\} 1$/m);
    assert.match(text, /^tollgate_latency_ms_bucket\{api="a1",stage="dev",le="5"\} 2$/m);
    assert.match(text, /^tollgate_latency_ms_bucket\{api="a1",stage="dev",le="\+Inf"\} 3$/m);
    assert.match(text, /^tollgate_latency_ms_sum\{api="a1",stage="dev"\} 44$/m);
    assert.match(text, /^tollgate_latency_ms_count\{api="a1",stage="dev"\} 3$/m);
    assert.match(text, /^tollgate_integration_latency_ms_count\{api="a1",stage="dev"\} 2$/m);
    assert.match(text, /^tollgate_integration_latency_ms_sum\{api="a1",stage="dev"\} 1.5$/m);
  });
});
