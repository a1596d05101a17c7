// `astro preview` for the sw-endpoints adapter: the client output folder served as
// any static host would serve it (the worker answers the endpoints in the browser).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../testing/static-server.mjs';

/**
 * Astro's preview entry point: serves `client` under `base`, with its 404.html for missing files.
 * @param {{ client: URL, host?: string | boolean, port?: number, base: string, logger: { info(message: string): void } }} params
 */
export default async function preview({ client, host, port = 4321, base, logger }) {
	const root = fileURLToPath(client);
	if (!fs.existsSync(path.join(root, 'sw.js'))) {
		throw new Error(`[sw-endpoints] ${root} has no sw.js: run astro build first`);
	}
	const notFound = path.join(root, '404.html');
	const hostname = typeof host === 'string' ? host : host ? '0.0.0.0' : 'localhost';
	const server = await serveStatic({
		root,
		host: hostname,
		port,
		base,
		fallback(req, res) {
			if (req.method !== 'GET' || !fs.existsSync(notFound)) return false;
			res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
			res.end(fs.readFileSync(notFound));
			return true;
		},
	});
	logger.info(`serving ${path.relative(process.cwd(), root) || '.'} at http://${hostname}:${server.port}${base}`);
	/** @type {() => void} */
	let ended = () => {};
	const closed = new Promise((resolve) => (ended = () => resolve(undefined)));
	return {
		host: hostname,
		port: server.port,
		closed: () => closed,
		stop: async () => {
			await server.close();
			ended();
		},
	};
}
