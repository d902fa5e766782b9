// The execution log of one request, kept only when someone reads it (TestInvokeMethod returns it as `log`).
// Lines follow AWS's layout: `Wed Jun 12 10:00:00 UTC 2024 : Starting execution for request: …`.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => (n < 10 ? "0" + n : String(n));

/** `Wed Jun 12 10:00:00 UTC 2024`, the timestamp TestInvokeMethod logs carry. */
export function formatLogTime(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export class ExecutionLog {
  private readonly lines: string[] = [];

  constructor(readonly requestId: string) {
    this.lines.push(`Execution log for request ${requestId}`);
  }

  add(message: string): void {
    this.lines.push(`${formatLogTime(new Date())} : ${message}`);
  }

  text(): string {
    return this.lines.join("\n") + "\n";
  }
}

/** Java's Map.toString, the form AWS logs parameter maps in: `{petId=123, foo=bar}`. */
export function formatParamMap(map: Readonly<Record<string, string>>): string {
  return "{" + Object.entries(map).map(([k, v]) => `${k}=${v}`).join(", ") + "}";
}
