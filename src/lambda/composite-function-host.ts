// Local first, then remote (TOLLGATE_LAMBDA_ENDPOINT): a function this gateway hosts runs here; any other name
// or ARN is invoked on the remote Lambda endpoint. Both are FunctionHost strategies; callers see one host.
import { ApiError, ERRORS } from "../errors/api-error.js";
import type { FunctionHost, InvokeOptions, InvokeResult } from "./function-host.js";

export class CompositeFunctionHost implements FunctionHost {
  constructor(
    private readonly local: FunctionHost,
    private readonly remote: FunctionHost,
  ) {}

  async invoke(nameOrArn: string, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    try {
      return await this.local.invoke(nameOrArn, payload, options);
    } catch (err) {
      // Only "not hosted here" falls through; a local function's own failures (throttling, bad payload) stand.
      if (err instanceof ApiError && err.kind === ERRORS.ResourceNotFound) return this.remote.invoke(nameOrArn, payload, options);
      throw err;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), this.remote.close()]);
  }
}
