// The execution log of one request, kept only when someone reads it: TestInvokeMethod returns it as `log`
// (lines in AWS's layout, `Wed Jun 12 10:00:00 UTC 2024 : Starting execution for request: …`), and a stage
// with execution logging writes its entries to the stage's execution log (stage-logs.ts).

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => (n < 10 ? "0" + n : String(n));

/** `Wed Jun 12 10:00:00 UTC 2024`, the timestamp TestInvokeMethod logs carry. */
export function formatLogTime(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export class ExecutionLog {
  private readonly messages: { readonly at: Date; readonly message: string }[] = [];

  constructor(readonly requestId: string) {}

  add(message: string): void {
    this.messages.push({ at: new Date(), message });
  }

  /** Every entry so far, oldest first. */
  entries(): readonly { readonly at: Date; readonly message: string }[] {
    return this.messages;
  }

  text(): string {
    const lines = [`Execution log for request ${this.requestId}`, ...this.messages.map((m) => `${formatLogTime(m.at)} : ${m.message}`)];
    return lines.join("\n") + "\n";
  }
}

/** Java's Map.toString, the form AWS logs parameter maps in: `{petId=123, foo=bar}`. */
export function formatParamMap(map: Readonly<Record<string, string>>): string {
  return "{" + Object.entries(map).map(([k, v]) => `${k}=${v}`).join(", ") + "}";
}
