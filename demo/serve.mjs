// `npm run demo`: builds the demo project and serves it at http://localhost:4321.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../build.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 4321);

const result = await build({ root });
const server = await serveStatic({ root: result.out, port, host: 'localhost' });
console.log(`sw-endpoints demo: http://localhost:${server.port}/  (Ctrl+C to stop)`);
