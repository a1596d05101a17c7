// The worker's static layer (sw/worker/precache.ts) over Cache Storage kept in
// memory: a fill caches every file and says so in the cache, so a restarted worker
// (a new instance over the same caches) neither lists the cache nor fetches; an
// interrupted fill is resumed; a file gone from a filled cache is fetched again.
// And the sorted-lines search that finds a request's file without indexing them,
// and the quiet period the worker's fill waits for before it starts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPrecache, hasLine, quietPeriod, type PrecacheManifest } from '../../sw/worker/precache.ts';

const urlOf = (r: RequestInfo | URL) => (typeof r === 'string' ? r : r instanceof URL ? r.href : r.url);

/** One cache in memory, counting what lists it. */
class MemoryCache {
	entries = new Map<string, Response>();
	listed = 0;
	async match(r: RequestInfo | URL) {
		return this.entries.get(urlOf(r))?.clone();
	}
	async put(r: RequestInfo | URL, response: Response) {
		this.entries.set(urlOf(r), response);
	}
	async delete(r: RequestInfo | URL) {
		return this.entries.delete(urlOf(r));
	}
	async keys() {
		this.listed++;
		return [...this.entries.keys()].map((url) => new Request(url));
	}
}

/** Cache Storage in memory: what outlives a worker instance. */
class MemoryCaches {
	stores = new Map<string, MemoryCache>();
	async open(name: string) {
		if (!this.stores.has(name)) this.stores.set(name, new MemoryCache());
		return this.stores.get(name)!;
	}
	/** Every cache's listings so far. */
	get listed() {
		return [...this.stores.values()].reduce((n, c) => n + c.listed, 0);
	}
}

const SCOPE = 'https://site.test/app/';
const FILES = ['api/tags.json', 'docs/index.html', 'index.html', 'notes.txt'];
const manifest: PrecacheManifest = {
	version: 'v1',
	paths: [...FILES].sort().join('\n'),
	shell: ['index.html'],
	types: { json: 'application/json', html: 'text/html', txt: 'text/plain' },
};

/** A worker instance's static layer over `caches`, with a network that records what it fetched (and fails for paths in `down`). */
function instance(caches: MemoryCaches, down: string[] = []) {
	const fetched: string[] = [];
	const precache = createPrecache({
		manifest,
		scope: SCOPE,
		caches: caches as unknown as CacheStorage,
		fetch: async (input) => {
			const path = urlOf(input as RequestInfo).slice(SCOPE.length);
			fetched.push(path);
			return down.includes(path) ? new Response('gone', { status: 503 }) : new Response(`content of ${path}`);
		},
	});
	return { precache, fetched };
}

const text = async (response: Promise<Response | undefined>) => (await response)?.text();

describe('the precache fill', () => {
	it('caches every file once; a restarted worker finds the fill done in the cache and neither lists it nor fetches', async () => {
		const caches = new MemoryCaches();
		const first = instance(caches);
		await first.precache.fill();
		expect(first.fetched.sort()).toEqual(FILES);
		expect(first.precache.complete).toBe(true);
		const listed = caches.listed;

		const restarted = instance(caches);
		expect(restarted.precache.complete).toBe(false);
		await restarted.precache.fill();
		expect(restarted.precache.complete).toBe(true);
		expect(caches.listed, 'listings of the cache by the restarted worker').toBe(listed);
		expect(restarted.fetched).toEqual([]);
		expect(await text(restarted.precache.serve(new Request(`${SCOPE}docs/`)))).toBe('content of docs/index.html');
		expect(restarted.fetched).toEqual([]);
	});

	it('an interrupted fill is resumed by the next worker: it fetches only what is missing, and is then done', async () => {
		const caches = new MemoryCaches();
		// The fill takes the list from its end: the first file is the last fetched, after the others are cached.
		const first = instance(caches, ['api/tags.json']);
		await expect(first.precache.fill()).rejects.toThrow(/precaching https:\/\/site\.test\/app\/api\/tags\.json failed: 503/);
		expect(first.fetched.sort()).toEqual(FILES);
		expect(first.precache.complete).toBe(false);

		const second = instance(caches);
		await second.precache.fill();
		expect(second.fetched).toEqual(['api/tags.json']);

		const third = instance(caches);
		await third.precache.fill();
		expect(third.fetched).toEqual([]);
	});

	it('a file gone from a filled cache is answered from the network, and the fill fetches what is missing again, in this worker and the next', async () => {
		const caches = new MemoryCaches();
		const first = instance(caches);
		await first.precache.fill();
		const cache = await caches.open(first.precache.name);
		await cache.delete(`${SCOPE}api/tags.json`);
		await cache.delete(`${SCOPE}notes.txt`);

		expect(await text(first.precache.serve(new Request(`${SCOPE}api/tags.json`)))).toBe('content of api/tags.json');
		expect(first.fetched.slice(FILES.length)).toEqual(['api/tags.json']);
		expect(first.precache.complete).toBe(false);

		const restarted = instance(caches);
		await restarted.precache.fill();
		expect(restarted.fetched).toEqual(['notes.txt']);
		await first.precache.fill();
		expect(first.fetched.slice(FILES.length)).toEqual(['api/tags.json']);
		expect(first.precache.complete).toBe(true);
	});
});

describe('hasLine', () => {
	it('finds every line of a sorted list and nothing else, prefixes and neighbours included', () => {
		const lines = ['a', 'a-b', 'a/b', 'a/b/index.html', 'ab', 'b.json', '%C3%A9t%C3%A9.json', 'z/index.html'].sort();
		const joined = lines.join('\n');
		for (const line of lines) expect(hasLine(joined, line), line).toBe(true);
		for (const missing of ['', 'a/', 'a/b/', 'a-', 'aa', 'b', 'b.jso', 'b.json\n', 'z', 'zz', '%C3%A9t%C3%A9']) {
			expect(hasLine(joined, missing), JSON.stringify(missing)).toBe(false);
		}
		expect(hasLine('', '')).toBe(false);
		expect(hasLine('', 'a')).toBe(false);
		expect(hasLine('only', 'only')).toBe(true);
		expect(hasLine('only', 'onl')).toBe(false);
	});

	it('agrees with a Set over 2,000 generated paths and their near misses', () => {
		let seed = 7;
		const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
		const part = () => Array.from({ length: 1 + random(6) }, () => 'ab-/.x%9'[random(8)]).join('');
		const paths = [...new Set(Array.from({ length: 2000 }, () => `${part()}/${part()}`))].sort();
		const joined = paths.join('\n');
		const set = new Set(paths);
		for (const path of paths) {
			for (const probe of [path, `${path}/`, path.slice(0, -1), `${path}a`, `a${path}`]) {
				expect(hasLine(joined, probe), probe).toBe(set.has(probe));
			}
		}
	});
});

describe('quietPeriod', () => {
	afterEach(() => void vi.useRealTimers());

	/** Calls `settled()` at each of `at` (ms), with `busy` over [from, to) ms; returns when the shared promise settled. */
	async function settleTime(at: number[], busy: Array<[number, number]> = [], quiet = 50, max = 2000): Promise<number> {
		vi.useFakeTimers({ now: 0 });
		const settled = quietPeriod(quiet, max, () => busy.some(([from, to]) => Date.now() >= from && Date.now() < to));
		let done: number | undefined;
		for (const t of at) {
			await vi.advanceTimersByTimeAsync(t - Date.now());
			void settled().then(() => (done ??= Date.now()));
		}
		await vi.advanceTimersByTimeAsync(max + quiet);
		return done!;
	}

	it('settles `quiet` ms after the last event', async () => {
		expect(await settleTime([0])).toBe(50);
		expect(await settleTime([0, 20, 45])).toBe(95);
	});

	it('waits while the worker answers, then for `quiet` ms after the last event', async () => {
		// Busy until 130: checked at 50 (busy), 100 (busy), 150 (quiet since 45).
		expect(await settleTime([0, 45], [[0, 130]])).toBe(150);
	});

	it('settles after `max` however busy the worker is, or however many events come', async () => {
		expect(await settleTime([0], [[0, 10_000]])).toBe(2000);
		expect(await settleTime(Array.from({ length: 100 }, (_, i) => i * 30))).toBe(2000);
	});

	it('one promise for every caller: events after it settled get it at once', async () => {
		vi.useFakeTimers({ now: 0 });
		const settled = quietPeriod(50, 2000, () => false);
		const first = settled();
		await vi.advanceTimersByTimeAsync(50);
		expect(settled()).toBe(first);
	});
});
