// How the data plane's live registries (stages, API keys and plans, custom domains) follow the store's change feed:
// their reactions run one after another, so a slow reload can never overwrite a newer one; a failed reload is
// logged and the next change tries again; tests wait on `settled()` after a management call.
import type { Logger } from "pino";
import type { ConfigStore, DocChange } from "../store/config-store.js";

export class ChangeQueue {
  private tail: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  /** `failure`: the log message when a queued reload fails. */
  constructor(
    private readonly logger: Logger,
    private readonly failure: string,
  ) {}

  /** Subscribes `react` to every batch of changes; it enqueues what the batch needs. */
  follow(store: ConfigStore, react: (changes: readonly DocChange[]) => void): void {
    this.unsubscribe = store.onChange(react);
  }

  enqueue(task: () => Promise<void>): void {
    this.tail = this.tail.then(task).catch((err: unknown) => this.logger.error({ err }, this.failure));
  }

  /** Resolves once every change received so far has been applied. */
  settled(): Promise<void> {
    return this.tail;
  }

  stop(): void {
    this.unsubscribe?.();
  }
}
