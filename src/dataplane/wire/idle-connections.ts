// Idle limits for the data plane's HTTP/1.1 connections, without a timer per request. Node's own guards
// (`server.setTimeout`, `keepAliveTimeout`) re-arm a timer on every read and write and on every response; on the
// proxy route that cost ~5% of throughput. Instead, a sweep every few seconds compares each connection's byte
// counters with the previous sweep: a connection with no traffic for `keepAliveIdleMs` while it has no request
// in flight (an idle keep-alive, or a client that never sends a request) is closed, and one with a request in
// flight after `activeIdleMs` of silence (a stalled upload, a client that stopped reading). HTTP/2 sessions keep
// their own session timeout (https-server.ts).
import type { Socket } from "node:net";

export interface IdleLimits {
  /** No request in flight and no bytes either way for this long: closed (Node's keepAliveTimeout). */
  readonly keepAliveIdleMs: number;
  /** A request in flight but no bytes either way for this long: closed (Node's server timeout). */
  readonly activeIdleMs: number;
  /** How often connections are looked at; a limit is enforced within one sweep of its expiry. */
  readonly sweepMs: number;
}

export const DEFAULT_IDLE_LIMITS: IdleLimits = { keepAliveIdleMs: 30_000, activeIdleMs: 120_000, sweepMs: 5_000 };

interface Watched {
  bytes: number;
  quietSince: number;
}

/** `_httpMessage` is the ServerResponse Node's HTTP/1 server attaches to a socket while a request is in flight. */
const busy = (socket: Socket): boolean => (socket as Socket & { _httpMessage?: unknown })._httpMessage != null;

export class IdleConnections {
  private readonly watched = new Map<Socket, Watched>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limits: IdleLimits = DEFAULT_IDLE_LIMITS) {
    this.timer = setInterval(() => this.sweep(Date.now()), limits.sweepMs);
    this.timer.unref();
  }

  watch(socket: Socket): void {
    this.watched.set(socket, { bytes: -1, quietSince: Date.now() });
    socket.once("close", () => this.watched.delete(socket));
  }

  private sweep(now: number): void {
    for (const [socket, state] of this.watched) {
      const bytes = socket.bytesRead + socket.bytesWritten;
      if (bytes !== state.bytes) {
        state.bytes = bytes;
        state.quietSince = now;
        continue;
      }
      const limit = busy(socket) ? this.limits.activeIdleMs : this.limits.keepAliveIdleMs;
      if (now - state.quietSince >= limit) {
        this.watched.delete(socket);
        socket.destroy();
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }
}
