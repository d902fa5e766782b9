// Guards the SQLite store's atomicity under a hard crash: a child process writes multi-document transactions in a
// burst and is SIGKILLed mid-burst; after reopening, every transaction is either wholly present or wholly absent,
// and every transaction the child saw committed is there.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteConfigStore } from "../../src/store/sqlite-store.js";

const DOCS_PER_TRANSACTION = 8;
const ROUNDS = 3;

/**
 * The child writes transaction after transaction, each putting DOCS_PER_TRANSACTION documents tagged with the
 * transaction's counter and yielding to the event loop between puts, so a kill usually lands inside one.
 * It prints each counter once its transaction has committed.
 */
const CHILD = `
const { SqliteConfigStore } = await import(process.env.STORE_MODULE);
const store = new SqliteConfigStore(process.env.DATA_DIR);
const perTx = Number(process.env.PER_TX);
for (let tx = Number(process.env.START); ; tx++) {
  await store.write(async (w) => {
    for (let j = 0; j < perTx; j++) {
      await w.put("function", "tx" + tx + "-" + j, { tx, j, pad: "x".repeat(4000) });
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  process.stdout.write(tx + "\\n");
}
`;

interface Doc {
  tx: number;
  j: number;
}

/** Runs the writer from counter `start`, kills it once `commitsBeforeKill` commits were reported; returns the last one. */
function writeAndKill(dataDir: string, start: number, commitsBeforeKill: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD], {
      env: {
        ...process.env,
        STORE_MODULE: new URL("../../src/store/sqlite-store.js", import.meta.url).href,
        DATA_DIR: dataDir,
        PER_TX: String(DOCS_PER_TRANSACTION),
        START: String(start),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lastCommitted = start - 1;
    let buffered = "";
    let stderr = "";
    let killing = false;
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) lastCommitted = Number(line);
      if (!killing && lastCommitted - start + 1 >= commitsBeforeKill) {
        killing = true;
        // A small random delay moves the kill to a different point of the next transaction each round.
        setTimeout(() => child.kill("SIGKILL"), Math.random() * 5);
      }
    });
    child.on("error", reject);
    // "close" rather than "exit": every line the child printed has been read by then.
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited with ${code}: ${stderr}`));
      else resolve(lastCommitted);
    });
  });
}

describe("SQLite store crash safety", () => {
  test("transactions survive SIGKILL all-or-nothing, and every reported commit is durable", { timeout: 20_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tollgate-crash-"));
    try {
      let start = 1;
      for (let round = 0; round < ROUNDS; round++) {
        const lastReported = await writeAndKill(dataDir, start, 15);
        const store = new SqliteConfigStore(dataDir);
        try {
          const docs = await store.reader.list<Doc>("function");
          const byTx = new Map<number, number[]>();
          for (const d of docs) byTx.set(d.tx, [...(byTx.get(d.tx) ?? []), d.j]);
          for (const [tx, js] of byTx) {
            assert.deepEqual(js.sort((a, b) => a - b), [...Array(DOCS_PER_TRANSACTION).keys()], `transaction ${tx} is partial`);
          }
          for (let tx = 1; tx <= lastReported; tx++) assert.ok(byTx.has(tx), `committed transaction ${tx} was lost`);
          // At most one transaction can have committed after the last report reached us.
          const highest = Math.max(...byTx.keys());
          assert.ok(highest <= lastReported + 1, `unexpected transaction ${highest}`);
          start = highest + 1;
        } finally {
          await store.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
