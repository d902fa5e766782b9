// Structured JSON logs on stdout through pino. Access logs go through an asynchronous destination so a slow
// stdout never blocks the request path.
import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.js";

export function createLogger(level: LogLevel, name = "tollgate"): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: cachedIsoTime }, pino.destination({ dest: 1, sync: false }));
}

let lastMillis = -1;
let lastTime = "";

/**
 * pino's `isoTime` (`,"time":"2026-…Z"`), formatted once per millisecond: under load the data plane writes several
 * access lines in the same millisecond, and `Date#toISOString` was a visible share of each line's cost.
 */
export function cachedIsoTime(): string {
  return isoTimeAt(Date.now());
}

/** `cachedIsoTime` for a moment already known (epoch milliseconds), without reading the clock. */
export function isoTimeAt(epochMs: number): string {
  const now = Math.floor(epochMs);
  if (now !== lastMillis) {
    lastMillis = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

export type { Logger };
