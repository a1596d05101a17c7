// The worker's static layer: the build's public/ files and prerendered outputs in
// Cache Storage, under a name carrying the build's version, answered for GET/HEAD
// from there (so they work offline); old versions' caches deleted on activate.
// The page's own files are cached at install; prerendered outputs right after the
// worker takes over, in the background (a build may emit thousands). Storage and
// fetch are passed in.
import { isReadMethod, staticIndex } from '../core/static-files.ts';
import { contentTypeOf } from '../core/content-types.js';

/** What the build lists: files relative to the scope (and as URL-encoded paths), with a content hash each. */
export interface PrecacheManifest {
	version: string;
	files: Array<{ url: string; path: string; revision: string; shell?: boolean }>;
}

const PREFIX = 'sw-endpoints-precache-';
/** Files fetched at a time while filling the cache (a static host and the browser cope well with this many). */
const PARALLEL = 16;

/** The static layer for one build, served under `scope` (the registration scope URL). */
export function createPrecache(options: { manifest: PrecacheManifest; scope: string; caches: CacheStorage; fetch: typeof fetch }) {
	const { manifest, scope, caches } = options;
	const name = `${PREFIX}${manifest.version}`;
	const scopePath = new URL(scope).pathname;
	let byPath: Map<string, { url: string; type: string }> | undefined;
	let filling: Promise<void> | undefined;
	let filled = false;

	/** pathname (as requests carry it) → cached URL and content type; built on first use. */
	function index() {
		byPath ??= staticIndex(
			manifest.files.map((file) => [file.path, { url: new URL(file.path, scope).href, type: contentTypeOf(file.url) }]),
			scopePath,
		);
		return byPath;
	}

	/** Fetches the given files that are not cached yet, PARALLEL at a time; rejects if one fails. */
	async function add(files: PrecacheManifest['files']): Promise<void> {
		const cache = await caches.open(name);
		const cached = new Set((await cache.keys()).map((r) => r.url));
		const queue = files.map((f) => new URL(f.path, scope).href).filter((url) => !cached.has(url));
		const worker = async () => {
			for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
				const response = await options.fetch(new Request(url, { cache: 'reload' }));
				if (!response.ok) throw new Error(`precaching ${url} failed: ${response.status} ${response.statusText}`);
				await cache.put(url, response);
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
	}

	return {
		name,
		/** Whether this request is a precached file's GET or HEAD. */
		has(request: Request): boolean {
			if (!isReadMethod(request.method)) return false;
			return index().has(new URL(request.url).pathname);
		},
		/** At install: the page's own files (public/, sw-client.js). */
		install(): Promise<void> {
			return add(manifest.files.filter((f) => f.shell));
		},
		/** After activation: every other file (prerendered outputs); one run at a time, resumable. */
		fill(): Promise<void> {
			if (filled) return Promise.resolve();
			filling ??= add(manifest.files).then(
				() => {
					filled = true;
				},
				(error: unknown) => {
					filling = undefined;
					throw error;
				},
			);
			return filling;
		},
		/** Whether every file is cached (as far as this worker instance knows). */
		get complete(): boolean {
			return filled;
		},
		/** Deletes the caches of other builds. */
		async cleanup(): Promise<void> {
			const names = await caches.keys();
			await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== name).map((n) => caches.delete(n)));
		},
		/**
		 * The file for a GET/HEAD, typed by its extension: from the cache, or, before
		 * the background fill reached it, from the network into the cache.
		 */
		async serve(request: Request): Promise<Response | undefined> {
			const entry = index().get(new URL(request.url).pathname);
			if (!entry) return undefined;
			const cache = await caches.open(name);
			let body = await cache.match(entry.url);
			if (!body) {
				const fetched = await options.fetch(new Request(entry.url, { cache: 'reload' })).catch(() => undefined);
				if (!fetched?.ok) return undefined;
				// A file that cannot be cached (the origin is over its quota) is still answered.
				await cache.put(entry.url, fetched.clone()).catch(() => undefined);
				body = fetched;
			}
			return new Response(request.method === 'HEAD' ? null : body.body, { status: 200, headers: { 'content-type': entry.type } });
		},
	};
}
