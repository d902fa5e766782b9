// Error documents the platform (not the handler) produces, in the shapes AWS returns them
// (lambda-contract.md §2.4). Handler errors are serialised inside the instance (runtime-bootstrap.ts).

export interface ErrorDocument {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export function timedOut(requestId: string, timeoutSeconds: number): ErrorDocument {
  return { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

const SIGNAL_NAMES: Readonly<Record<string, string>> = {
  SIGABRT: "aborted",
  SIGKILL: "killed",
  SIGSEGV: "segmentation fault",
  SIGTERM: "terminated",
  SIGBUS: "bus error",
};

/** The runtime process ended during an invocation: `process.exit()`, a fatal V8 error (heap exhausted), a signal. */
export function runtimeExited(requestId: string, code: number | null, signal: string | null, outOfMemory: boolean): ErrorDocument {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${SIGNAL_NAMES[signal] ?? signal}`
      : code === 0
        ? "Runtime exited without providing a reason"
        : `Runtime exited with error: exit status ${code ?? "unknown"}`;
  return { errorType: outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function responseTooLarge(limit: number): ErrorDocument {
  return { errorType: "Function.ResponseSizeTooLarge", errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).` };
}
