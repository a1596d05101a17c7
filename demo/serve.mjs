// `npm run demo`: builds the demo project in watch mode and serves it at
// http://localhost:4321. Edit demo/src/pages/** and the open page picks it up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watch } from '../build.mjs';
import { serveStatic } from '../testing/static-server.mjs';
import { vendorMounts } from './vendor-mounts.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 4321);

await watch({ root });
const server = await serveStatic({ root: path.join(root, 'dist'), port, host: 'localhost', mounts: vendorMounts });
console.log(`sw-endpoints demo: http://localhost:${server.port}/  (Ctrl+C to stop)
  playground:               http://localhost:${server.port}/playground/
  docs with live examples:  http://localhost:${server.port}/docs/
  notes app (offline):      http://localhost:${server.port}/notes/`);
