// The server real Astro is recorded behind: a plain static layer for the
// build's prerendered outputs (GET/HEAD, the exact decoded path of a file in
// dist/client, no folder index, no other method) in front of the Node adapter's
// handler in middleware mode, called without `next` so that Astro itself
// answers every other request (its 404 page included). Plain node:http, no
// framework: what answers is Astro or this file, nothing else.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** Content types of the static layer, by extension; anything else is application/octet-stream. */
export const STATIC_CONTENT_TYPES = {
	'.json': 'application/json',
	'.txt': 'text/plain; charset=utf-8',
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.xml': 'application/xml',
};

/**
 * The static layer's content type for a file path.
 * @param {string} file
 */
export function staticContentType(file) {
	const m = /\.[^./]+$/.exec(file);
	return (m && STATIC_CONTENT_TYPES[/** @type {keyof typeof STATIC_CONTENT_TYPES} */ (m[0].toLowerCase())]) || 'application/octet-stream';
}

/**
 * Every file under `dir`, as sorted POSIX paths relative to it.
 * @param {string} dir
 * @returns {string[]}
 */
export function listFiles(dir) {
	if (!fs.existsSync(dir)) return [];
	/** @type {string[]} */
	const out = [];
	/** @param {string} rel */
	const walk = (rel) => {
		for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const child = rel ? `${rel}/${entry.name}` : entry.name;
			if (entry.isDirectory()) walk(child);
			else if (entry.isFile()) out.push(child);
		}
	};
	walk('');
	return out.sort();
}

/**
 * The file of `clientDir` a GET/HEAD of `rawUrl` names exactly, or null.
 * @param {string} clientDir
 * @param {string} rawUrl the request target as sent (path and query)
 */
export function staticFileFor(clientDir, rawUrl) {
	const q = rawUrl.search(/[?#]/);
	let pathname;
	try {
		pathname = decodeURIComponent(q === -1 ? rawUrl : rawUrl.slice(0, q));
	} catch {
		return null;
	}
	// Exact: no empty, `.` or `..` segment (path.join would resolve them to another file).
	if (
		!pathname.startsWith('/') ||
		pathname
			.slice(1)
			.split('/')
			.some((s) => s === '' || s === '..' || s === '.')
	)
		return null;
	const file = path.join(clientDir, pathname);
	if (!file.startsWith(clientDir + path.sep)) return null;
	try {
		return fs.statSync(file).isFile() ? file : null;
	} catch {
		return null;
	}
}

/**
 * Starts the server on 127.0.0.1 (a free port) and resolves with its origin.
 * @param {{ clientDir: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => unknown }} options
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function serveCore({ clientDir, handler }) {
	const root = path.resolve(clientDir);
	const server = http.createServer((req, res) => {
		const file = req.method === 'GET' || req.method === 'HEAD' ? staticFileFor(root, req.url ?? '/') : null;
		if (file) {
			const body = fs.readFileSync(file);
			res.writeHead(200, { 'content-type': staticContentType(file), 'content-length': body.length });
			res.end(req.method === 'HEAD' ? undefined : body);
			return;
		}
		handler(req, res);
	});
	server.keepAliveTimeout = 1000;
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('serve-core: no port');
	return {
		origin: `http://127.0.0.1:${address.port}`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
