// The file both kinds of sandbox load: the Node.js runtime interface (runtime-bootstrap.ts, compiled).
import { fileURLToPath } from "node:url";

export const BOOTSTRAP = fileURLToPath(new URL("./runtime-bootstrap.js", import.meta.url));
