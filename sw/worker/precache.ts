// The worker's static layer: the build's public/ files and prerendered outputs in
// Cache Storage, under a name carrying the build's version, answered for GET/HEAD
// from there (so they work offline); old versions' caches deleted on activate.
// Files are cached right after the worker takes over, in the background (a build
// may emit thousands), yielding to the requests the worker answers; a new build
// replacing a running one caches the page's own files at install first. A
// completed fill leaves an entry of its own in the cache: a restarted worker that
// finds it has nothing to do, instead of listing the cache's thousands of entries
// while its first request waits on the same cache. Storage and fetch are passed in.
//
// When the origin's quota cannot hold the prerendered outputs, they give way to
// the state (sessions, cookies are data; cached files are a copy): the fill stops,
// the outputs it cached are deleted, and files are answered from the network
// without caching. The refusal is remembered (`memo`) with the quota it met, so a
// later worker instance tries again only once the quota grew by a tenth or a day
// passed, instead of downloading every file again on every start. (Chromium
// derives the quota from free disk space, so it moves by a few bytes between
// calls; its `Storage.overrideQuotaForOrigin` does not change what `estimate()`
// reports: probed, Chromium 156.)
import { isReadMethod, staticPath } from '../core/static-files.ts';
import { extensionOf } from '../core/content-types.js';

/**
 * What the build lists: `paths`, the files' paths relative to the scope (URL-encoded,
 * as requests carry them) as one string, a line each, sorted, which a worker searches
 * as it is (a restarted worker indexing 5,000 files held its first answer 30 ms in a
 * loop that parsed each path as a URL, and 2–4 ms as a Set: Chromium 156); `shell`,
 * those that are the page's own; `types`, the content type of each extension they
 * have (sw/core/content-types.js, only what this build's files use).
 */
export interface PrecacheManifest {
	version: string;
	paths: string;
	shell: string[];
	types: Record<string, string>;
}

const PREFIX = 'sw-endpoints-precache-';
/** Files fetched at a time while filling the cache (a static host and the browser cope well with this many). */
const PARALLEL = 16;

/** A fill the quota refused: for which build, at which quota, and the reason given. */
export interface QuotaRefusal {
	version: string;
	quota: number | undefined;
	message: string;
	/** when (ms since the epoch) */
	at: number;
}

/**
 * A promise settled the next time `fire()` is called (one shared by every waiter
 * until then): what the background fill waits on, for a file done or for the
 * worker to stop answering requests.
 */
export function nextEvent() {
	let next: Promise<void> | undefined;
	let settle = () => {};
	return {
		next: () => (next ??= new Promise<void>((resolve) => (settle = resolve))),
		fire() {
			settle();
			next = undefined;
		},
	};
}

/**
 * Returns `settled()`: each call marks an event, and all share one promise that
 * settles once `quiet` ms passed since the last call with `busy()` false, or `max`
 * ms after the first call.
 */
export function quietPeriod(quiet: number, max: number, busy: () => boolean): () => Promise<void> {
	let last = 0;
	let settling: Promise<void> | undefined;
	return () => {
		last = performance.now();
		return (settling ??= new Promise((resolve) => {
			const deadline = last + max;
			const check = () => {
				const now = performance.now();
				const wait = Math.min(busy() ? quiet : last + quiet - now, deadline - now);
				if (wait > 0) setTimeout(check, wait);
				else resolve();
			};
			check();
		}));
	};
}

/** How long a refusal by the quota stands when the quota has not changed. */
export const QUOTA_RETRY_AFTER = 24 * 60 * 60 * 1000;

/** The key, after the base URL, of the entry a completed fill puts in the cache (a query: no file's path is answered with it). */
const FILLED = '?sw-endpoints-filled';

/** Whether `lines` (lines sorted by code unit, joined with `\n`) has the line `key`: a binary search over the string as it is. */
export function hasLine(lines: string, key: string): boolean {
	// [lo, hi): the part of the string left to search; lo is always a line's start.
	let lo = 0;
	let hi = lines.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		const start = lines.lastIndexOf('\n', mid - 1) + 1;
		const newline = lines.indexOf('\n', start);
		const end = newline === -1 ? lines.length : newline;
		const line = lines.slice(start, end);
		if (line === key) return true;
		if (line < key) lo = end + 1;
		else hi = start;
	}
	return false;
}

/** The static layer for one build, served under `scope` (the registration scope URL). */
export function createPrecache(options: {
	manifest: PrecacheManifest;
	scope: string;
	caches: CacheStorage;
	fetch: typeof fetch;
	/** the origin's storage quota in bytes (`navigator.storage.estimate()`), where known */
	quota?: () => Promise<number | undefined>;
	/**
	 * While the worker answers requests: a promise settled once it no longer does, else
	 * undefined. The fill then fetches one file at a time, so the page's own requests
	 * (and the endpoint code they need) are not queued behind it.
	 */
	busy?: () => Promise<void> | undefined;
	/** where a refusal by the quota is remembered across worker instances */
	memo?: { get(): Promise<QuotaRefusal | undefined>; set(refusal: QuotaRefusal): Promise<void> };
}) {
	const { manifest, scope, caches } = options;
	const name = `${PREFIX}${manifest.version}`;
	// Paths are normalised and URL-encoded (the build made them with URL): a file's URL is base + path.
	const base = new URL('./', scope);
	/** Every file's path. */
	const all = () => (manifest.paths ? manifest.paths.split('\n') : []);
	const filledUrl = base.href + FILLED;
	let filling: Promise<void> | undefined;
	let filled = false;
	/** Set once the quota refused the fill: nothing more is cached by this worker instance. */
	let refused: Error | undefined;
	const quota = () => (options.quota?.() ?? Promise.resolve(undefined)).catch(() => undefined);

	/** Marks this instance refused by the quota, with `message`; returns the error fill() rejects with. */
	function refuse(message: string, cause?: Error): Error {
		refused = new Error(message, { cause });
		refused.name = 'QuotaExceededError';
		return refused;
	}

	/** After a quota error: deletes the outputs cached so far (the page's own files stay), remembers why. */
	async function giveWay(error: Error): Promise<Error> {
		const limit = await quota();
		const outputs = all().filter((f) => !manifest.shell.includes(f));
		const message = `the prerendered files (${outputs.length}) do not fit in this origin's storage quota${limit ? ` (${limit} bytes)` : ''} (${error.message.replace(/\.$/, '')}): they are answered from the network, not cached, so not offline; sessions and cookies keep the space. Tried again once the quota grew, or after a day.`;
		const refusal = refuse(message, error);
		const cache = await caches.open(name);
		await Promise.all(outputs.map((f) => cache.delete(base.href + f))).catch(() => undefined);
		await options.memo?.set({ version: manifest.version, quota: limit, message, at: Date.now() }).catch(() => undefined);
		return refusal;
	}

	/** A refusal remembered for this build at the quota there is now, as an error; else undefined. */
	async function remembered(): Promise<Error | undefined> {
		const memo = await options.memo?.get().catch(() => undefined);
		if (!memo || memo.version !== manifest.version || Date.now() - memo.at > QUOTA_RETRY_AFTER) return undefined;
		const now = await quota();
		if (now !== undefined && (memo.quota === undefined || now > memo.quota * 1.1)) return undefined;
		return refuse(memo.message);
	}

	/** A file's content type by its extension, as contentTypeOf (sw/core/content-types.js) gives it. */
	const typeOf = (file: string) => manifest.types[extensionOf(file)] ?? 'application/octet-stream';

	/** The path of the file a request's pathname is answered with, if any. */
	const pathOf = (pathname: string) => staticPath(pathname, base.pathname, (path) => hasLine(manifest.paths, path));

	/** Fetches the given files not in `cache` yet into it, PARALLEL at a time; rejects if one fails. */
	async function add(cache: Cache, files: Iterable<string>): Promise<void> {
		const cached = new Set((await cache.keys()).map((r) => r.url));
		const queue = Array.from(files, (f) => base.href + f).filter((url) => !cached.has(url));
		let failure: { error: unknown } | undefined;
		// Files done so far, and the next one done (or the first failure).
		let done = 0;
		const progress = nextEvent();
		// Fetcher n starts once n files are done, and waits while the worker answers
		// requests: a page's first requests, which come right after its worker took over,
		// are not queued behind a burst of low-priority fetches. Fetcher 0 never waits, so
		// the fill always ends.
		const worker = async (_: unknown, n: number) => {
			try {
				while (done < n && queue.length && !failure) await progress.next();
				for (;;) {
					if (n > 0) await options.busy?.();
					const url = queue.pop();
					if (url === undefined || failure) break;
					const response = await options.fetch(new Request(url, { cache: 'reload', priority: 'low' }));
					if (!response.ok) throw new Error(`precaching ${url} failed: ${response.status} ${response.statusText}`);
					await cache.put(url, response);
					done++;
					progress.fire();
				}
			} catch (error) {
				failure ??= { error };
				progress.fire();
			}
		};
		// On the first failure the others stop after their current file, and all have settled before this rejects
		// (so nothing is put into the cache after a quota refusal deleted what was there).
		await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
		if (failure) throw failure.error;
	}

	return {
		name,
		/** Whether this request is a precached file's GET or HEAD. */
		has(request: Request, url = new URL(request.url)): boolean {
			return isReadMethod(request.method) && pathOf(url.pathname) !== undefined;
		},
		/** At the install of a new build replacing a running one: the page's own files (public/, sw-client.js). */
		install(): Promise<void> {
			return caches.open(name).then((cache) => add(cache, manifest.shell));
		},
		/** After activation: every file not cached yet; one run at a time, resumable. */
		fill(): Promise<void> {
			if (filled) return Promise.resolve();
			if (refused) return Promise.reject(refused);
			filling ??= (async () => {
				const cache = await caches.open(name);
				if (await cache.match(filledUrl)) return;
				const error = await remembered();
				if (error) throw error;
				await add(cache, all());
				await cache.put(filledUrl, new Response(manifest.version));
			})().then(
				() => {
					filled = true;
					filling = undefined;
				},
				async (error: unknown) => {
					filling = undefined;
					throw !refused && (error as Error)?.name === 'QuotaExceededError' ? await giveWay(error as Error) : error;
				},
			);
			return filling;
		},
		/** Whether there is nothing more to cache (as far as this worker instance knows): every file is, or the quota refused them. */
		get complete(): boolean {
			return filled || refused !== undefined;
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
			const path = pathOf(new URL(request.url).pathname);
			if (path === undefined) return undefined;
			const url = base.href + path;
			const cache = await caches.open(name);
			let body = await cache.match(url);
			if (!body) {
				// Missing after the fill: the cache was evicted or cleared; the next event fills it again.
				filled = false;
				// (Under a quota refusal nothing is cached, a mark included.)
				if (!refused) await cache.delete(filledUrl);
				const fetched = await options.fetch(new Request(url, { cache: 'reload' })).catch(() => undefined);
				if (!fetched?.ok) return undefined;
				// A file that cannot be cached (the origin is over its quota) is still answered.
				if (!refused) await cache.put(url, fetched.clone()).catch(() => undefined);
				body = fetched;
			}
			return new Response(request.method === 'HEAD' ? null : body.body, { status: 200, headers: { 'content-type': typeOf(path) } });
		},
	};
}
