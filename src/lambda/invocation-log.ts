// The log of one invocation as CloudWatch would hold it: platform START/END/REPORT lines around the handler's
// output (lambda-contract.md §1.6). `X-Amz-Log-Result` is the base64 of its last 4 KB.

const TAIL_BYTES = 4096;

interface Report {
  readonly durationMs: number;
  readonly memorySize: number;
  readonly maxMemoryUsedMb: number;
  readonly initMs?: number;
  readonly status?: string;
}

/** Built on every invocation, read only when asked for (Tail, debug logs): the text is formatted on reading. */
export class InvocationLog {
  private readonly parts: string[] = [];
  private readonly version: string;
  private readonly preamble: string;
  private report: Report | undefined;

  constructor(
    readonly requestId: string,
    version: string,
    preamble: string,
  ) {
    this.version = version;
    this.preamble = preamble;
  }

  append(text: string): void {
    this.parts.push(text);
  }

  /** END and REPORT; `initMs` only on the invocation that started the instance. */
  close(report: Report): void {
    this.report = report;
  }

  text(): string {
    const start = `${this.preamble}START RequestId: ${this.requestId} Version: ${this.version}\n`;
    const report = this.report;
    if (report === undefined) return start + this.parts.join("");
    const fields = [
      `REPORT RequestId: ${this.requestId}`,
      `Duration: ${report.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs + (report.initMs ?? 0)))} ms`,
      `Memory Size: ${report.memorySize} MB`,
      `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
    ];
    if (report.initMs !== undefined) fields.push(`Init Duration: ${report.initMs.toFixed(2)} ms`);
    if (report.status !== undefined) fields.push(`Status: ${report.status}`);
    return `${start}${this.parts.join("")}END RequestId: ${this.requestId}\n${fields.join("\t")}\t\n`;
  }

  tailBase64(): string {
    const bytes = Buffer.from(this.text(), "utf8");
    return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
  }
}
