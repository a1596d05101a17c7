// The worker's static layer: the build's prerendered outputs and public/ files,
// fetched into Cache Storage at install under a name carrying the build's
// version, answered for GET/HEAD from there (so they work offline), and old
// versions' caches deleted on activate. Storage APIs are passed in.
import { contentTypeOf } from './content-types.js';

/** What the build lists: files relative to the scope, with a content hash each. */
export interface PrecacheManifest {
	version: string;
	files: Array<{ url: string; revision: string }>;
}

const PREFIX = 'sw-endpoints-precache-';

/** The static layer for one build, served under `scope` (the registration scope URL). */
export function createPrecache(options: { manifest: PrecacheManifest; scope: string; caches: CacheStorage; fetch: typeof fetch }) {
	const { manifest, scope, caches } = options;
	const name = `${PREFIX}${manifest.version}`;
	// pathname (as requests carry it, percent-encoded) → cached URL and content type
	const byPath = new Map<string, { url: string; type: string }>();
	for (const { url: file } of manifest.files) {
		const url = new URL(file, scope);
		const entry = { url: url.href, type: contentTypeOf(file) };
		byPath.set(url.pathname, entry);
		// A static host answers `dir/` (and `dir`) with dir/index.html.
		if (/(^|\/)index\.html$/.test(file)) {
			const dir = url.pathname.slice(0, -'index.html'.length);
			byPath.set(dir, entry);
			if (dir.length > 1) byPath.set(dir.slice(0, -1), entry);
		}
	}

	return {
		name,
		/** Whether this request is a precached file's GET or HEAD. */
		has(request: Request): boolean {
			if (request.method !== 'GET' && request.method !== 'HEAD') return false;
			return byPath.has(new URL(request.url).pathname);
		},
		/** Fetches every file (bypassing the HTTP cache) into this version's cache; rejects if any fails. */
		async install(): Promise<void> {
			const cache = await caches.open(name);
			const cached = new Set((await cache.keys()).map((r) => r.url));
			await Promise.all(
				manifest.files.map(async ({ url: file }) => {
					const url = new URL(file, scope).href;
					if (cached.has(url)) return;
					const response = await options.fetch(new Request(url, { cache: 'reload' }));
					if (!response.ok) throw new Error(`precaching ${url} failed: ${response.status} ${response.statusText}`);
					await cache.put(url, response);
				}),
			);
		},
		/** Deletes the caches of other builds. */
		async cleanup(): Promise<void> {
			const names = await caches.keys();
			await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== name).map((n) => caches.delete(n)));
		},
		/** The cached file for a GET/HEAD, typed by its extension, or undefined when it is not (or no longer) cached. */
		async serve(request: Request): Promise<Response | undefined> {
			const entry = byPath.get(new URL(request.url).pathname);
			if (!entry) return undefined;
			const cached = await (await caches.open(name)).match(entry.url);
			if (!cached) return undefined;
			return new Response(request.method === 'HEAD' ? null : cached.body, { status: 200, headers: { 'content-type': entry.type } });
		},
	};
}
