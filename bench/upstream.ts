// The benchmark's backend: a node:http server answering every request with the same ~50-byte JSON body.
import http from "node:http";

const BODY = Buffer.from('{"message":"hello from the upstream","ok":true}\n');
const port = Number(process.argv[2] ?? "0");
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json", "content-length": BODY.length });
  res.end(BODY);
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : port}\n`);
});
