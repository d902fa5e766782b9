// Structured JSON logs on stdout through pino. Access logs go through an asynchronous destination so a slow
// stdout never blocks the request path.
import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.js";

export function createLogger(level: LogLevel, name = "tollgate"): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: false }));
}

export type { Logger };
