// The Node ceiling the issue names: a bare node:https server forwarding every request with undici's
// Pool.stream, no routing, no logging. Tollgate's HTTP_PROXY is judged by how close it gets to this.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { Writable } from "node:stream";
import { Pool } from "undici";

const [port, upstream, certFile, keyFile] = process.argv.slice(2);
const pool = new Pool(upstream!, { connections: 64, pipelining: 1 });

const server = createServer({ cert: readFileSync(certFile!), key: readFileSync(keyFile!) }, (req, res) => {
  pool
    .stream({ path: req.url ?? "/", method: (req.method ?? "GET") as "GET", body: req.method === "GET" || req.method === "HEAD" ? null : req }, ({ statusCode, headers }) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(headers)) if (v !== undefined && k !== "connection" && k !== "keep-alive" && k !== "transfer-encoding") out[k] = v;
      res.writeHead(statusCode, out);
      return new Writable({
        write(chunk: Buffer, _enc, cb) {
          res.write(chunk) ? cb() : res.once("drain", cb);
        },
        final(cb) {
          res.end();
          cb();
        },
      });
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
});
server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`listening ${port}\n`));
