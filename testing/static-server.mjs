// A small node:http static file server for service-worker tests and the demo.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { contentTypeOf } from '../sw/core/content-types.js';

/**
 * Returns the Content-Type for a file path, application/octet-stream when the
 * extension is unknown: the same table the worker types its cached files with.
 * @param {string} filePath
 * @returns {string}
 */
export function contentTypeFor(filePath) {
	return extname(filePath).toLowerCase() === '.htm' ? 'text/html; charset=utf-8' : contentTypeOf(filePath);
}

/**
 * Ends a response with a short plain-text body (omitted for HEAD).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string>} [headers]
 */
function sendText(req, res, status, text, headers = {}) {
	const body = Buffer.from(`${text}\n`);
	res.writeHead(status, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': body.length,
		'Cache-Control': 'no-cache',
		...headers,
	});
	res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Answers a 301 to a same-origin path (the server sends redirects, it never follows them).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} location
 */
function redirect(req, res, location) {
	sendText(req, res, 301, `Moved to ${location}`, { Location: location });
}

/**
 * @typedef {object} ServeStaticOptions
 * @property {string} root Folder whose files are served.
 * @property {number} [port] Port to listen on; 0 picks a free one.
 * @property {string} [host] Interface to listen on.
 * @property {string} [base] URL prefix the root is mapped under, like '/docs/'.
 * @property {Record<string, string>} [mounts] Extra folders served as if they were inside root, by URL path under `base`: `{ 'vendor/esbuild-wasm/': '/abs/node_modules/esbuild-wasm' }` answers `<base>vendor/esbuild-wasm/*` from that folder (a leading slash in the key is optional). They are not part of the build output, so the worker never precaches them.
 * @property {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean | Promise<boolean>} [fallback] Called before a 404; returning true means it handled the response.
 */

/**
 * @typedef {object} StaticServer
 * @property {string} url Origin of the server, like http://127.0.0.1:PORT (no trailing slash).
 * @property {number} port Port the server listens on.
 * @property {() => Promise<void>} close Stops the server and drops open connections.
 */

/**
 * Starts a static file server for `root` under the URL prefix `base`, with no-cache headers and Service-Worker-Allowed on scripts.
 * @param {ServeStaticOptions} options
 * @returns {Promise<StaticServer>}
 */
export async function serveStatic({ root, port = 0, host = '127.0.0.1', base = '/', mounts = {}, fallback }) {
	let prefix = base.startsWith('/') ? base : `/${base}`;
	if (!prefix.endsWith('/')) prefix += '/';
	// Longest URL prefix first, so a mount inside another (or inside root) wins; root is the catch-all.
	const folders = Object.entries(mounts)
		.map(([at, dir]) => ({ prefix: `${prefix}${at.replace(/^\/+/, '').replace(/\/*$/, '/')}`, dir: resolve(dir) }))
		.sort((a, b) => b.prefix.length - a.prefix.length);
	folders.push({ prefix, dir: resolve(root) });
	/** each folder's real path (links resolved), against which served files are checked */
	const realFolders = new Map(
		folders.map((f) => {
			try {
				return [f.dir, realpathSync(f.dir)];
			} catch {
				return [f.dir, f.dir];
			}
		}),
	);

	/**
	 * Hands the request to the fallback hook, or answers 404.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function notFound(req, res) {
		if (fallback && (await fallback(req, res))) return;
		sendText(req, res, 404, 'Not found');
	}

	/**
	 * Maps a decoded URL path to a file path inside the folder serving it (a mount or root), or undefined when it is outside every folder or escapes it.
	 * @param {string} pathname
	 * @returns {string | undefined}
	 */
	function toFilePath(pathname) {
		const folder = folders.find((f) => pathname.startsWith(f.prefix));
		if (!folder) return undefined;
		const filePath = resolve(folder.dir, `.${sep}${pathname.slice(folder.prefix.length)}`);
		if (filePath !== folder.dir && !filePath.startsWith(folder.dir.endsWith(sep) ? folder.dir : folder.dir + sep)) return undefined;
		return filePath;
	}

	/**
	 * Whether `filePath`, links resolved, is inside the real path of the folder (root or mount) serving it.
	 * @param {string} filePath
	 */
	async function insideServedFolder(filePath) {
		try {
			const real = await realpath(filePath);
			return folders.some((f) => {
				const dir = realFolders.get(f.dir) ?? f.dir;
				return real === dir || real.startsWith(dir.endsWith(sep) ? dir : dir + sep);
			});
		} catch {
			return false;
		}
	}

	/**
	 * Answers one request.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	async function handle(req, res) {
		const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0];
		let pathname;
		try {
			pathname = decodeURIComponent(rawPath);
		} catch {
			sendText(req, res, 400, 'Bad request');
			return;
		}
		if (pathname.includes('\0') || pathname.includes('\\')) {
			sendText(req, res, 400, 'Bad request');
			return;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			if (fallback && (await fallback(req, res))) return;
			sendText(req, res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
			return;
		}

		const query = (req.url ?? '').slice(rawPath.length);
		// Leading slashes collapse so a redirect can never become a protocol-relative URL to another host.
		const slashed = `/${rawPath.replace(/^\/+/, '')}/${query}`;
		if (pathname === prefix.slice(0, -1) && prefix !== '/') {
			redirect(req, res, slashed);
			return;
		}
		let filePath = toFilePath(pathname);
		if (!filePath) return notFound(req, res);

		let info;
		try {
			info = await stat(filePath);
			if (info.isDirectory()) {
				// A folder asked for without its trailing slash moves to it, so relative links in its index.html resolve inside it.
				if (!pathname.endsWith('/')) {
					redirect(req, res, slashed);
					return;
				}
				filePath = resolve(filePath, 'index.html');
				info = await stat(filePath);
			}
		} catch {
			return notFound(req, res);
		}
		if (!info.isFile()) return notFound(req, res);
		// Never through a link out of the folder served: the resolved path must still be inside it.
		if (!(await insideServedFolder(filePath))) return notFound(req, res);

		const type = contentTypeFor(filePath);
		/** @type {Record<string, string | number>} */
		const headers = {
			'Content-Type': type,
			'Content-Length': info.size,
			'Cache-Control': 'no-cache',
			'Last-Modified': info.mtime.toUTCString(),
		};
		const ext = extname(filePath).toLowerCase();
		if (ext === '.js' || ext === '.mjs') headers['Service-Worker-Allowed'] = prefix;
		res.writeHead(200, headers);
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		const stream = createReadStream(filePath);
		stream.on('error', () => res.destroy());
		stream.pipe(res);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) sendText(req, res, 500, 'Internal server error');
			else res.destroy();
			console.error('[static-server]', error);
		});
	});

	await new Promise((resolveListen, rejectListen) => {
		server.once('error', rejectListen);
		server.listen(port, host, () => {
			server.off('error', rejectListen);
			resolveListen(undefined);
		});
	});

	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	const urlHost = host.includes(':') ? `[${host}]` : host;

	return {
		url: `http://${urlHost}:${actualPort}`,
		port: actualPort,
		close() {
			return new Promise((resolveClose, rejectClose) => {
				server.close((error) => (error ? rejectClose(error) : resolveClose()));
				server.closeAllConnections();
			});
		},
	};
}
