// The benchmark's second reference: fastify + @fastify/http-proxy terminating TLS in front of the upstream.
import { readFileSync } from "node:fs";
import Fastify from "fastify";
import proxy from "@fastify/http-proxy";

const [port, upstream, certFile, keyFile] = process.argv.slice(2);
const app = Fastify({ logger: false, https: { cert: readFileSync(certFile!), key: readFileSync(keyFile!) } });
await app.register(proxy, { upstream: upstream!, prefix: "/", http2: false });
await app.listen({ port: Number(port), host: "127.0.0.1" });
process.stdout.write(`listening ${port}\n`);
