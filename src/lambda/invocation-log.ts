// The log of one invocation as CloudWatch would hold it: platform START/END/REPORT lines around the handler's
// output (lambda-contract.md §1.6). `X-Amz-Log-Result` is the base64 of its last 4 KB.

const TAIL_BYTES = 4096;

export class InvocationLog {
  private readonly parts: string[] = [];

  constructor(
    readonly requestId: string,
    version: string,
    preamble: string,
  ) {
    if (preamble) this.parts.push(preamble);
    this.parts.push(`START RequestId: ${requestId} Version: ${version}\n`);
  }

  append(text: string): void {
    this.parts.push(text);
  }

  /** END and REPORT; `initMs` only on the invocation that started the instance. */
  close(report: { durationMs: number; memorySize: number; maxMemoryUsedMb: number; initMs?: number; status?: string }): void {
    this.parts.push(`END RequestId: ${this.requestId}\n`);
    const fields = [
      `REPORT RequestId: ${this.requestId}`,
      `Duration: ${report.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs + (report.initMs ?? 0)))} ms`,
      `Memory Size: ${report.memorySize} MB`,
      `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
    ];
    if (report.initMs !== undefined) fields.push(`Init Duration: ${report.initMs.toFixed(2)} ms`);
    if (report.status !== undefined) fields.push(`Status: ${report.status}`);
    this.parts.push(fields.join("\t") + "\t\n");
  }

  text(): string {
    return this.parts.join("");
  }

  tailBase64(): string {
    const bytes = Buffer.from(this.text(), "utf8");
    return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
  }
}
