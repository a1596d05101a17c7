// What the browser would hold for the page, played by the worker: the cookie jar
// (mirrored into the page's real cookies) and the default locals the page set.
// Storage and the access to the page's cookies are passed in.
import { createLocalsState } from './locals-state.ts';
import { cookieHeader, CookieJar, cookieKey, isExpired, parseSetCookie, pathMatches, type JarCookie, type RequestSite } from './cookie-jar.ts';

/** The key-value storage this module persists to (IndexedDB in the worker, memory in Node). */
export interface KeyValueStore<V> {
	get(key: string): Promise<V | undefined>;
	set(key: string, value: V): Promise<void>;
	setMany(items: Array<[string, V]>): Promise<void>;
	delMany(keys: string[]): Promise<void>;
	entries(): Promise<Array<[string, V]>>;
	clear(): Promise<void>;
}

/** Access to the page's real cookies (the Cookie Store API, or the page's document.cookie). */
export interface PageCookies {
	/** the cookies the page sees at `observedPath` */
	getAll(): Promise<Array<{ name: string; value: string; path?: string | null }>>;
	set(options: { name: string; value: string; path?: string; domain?: string | null; expires?: number | null; sameSite?: 'strict' | 'lax' | 'none' }): Promise<void>;
	delete(options: { name: string; path?: string; domain?: string | null }): Promise<void>;
	/** the path whose cookies getAll() returns */
	observedPath: string;
}

/** One request's view of the browser state, from `begin()` to `finish()`. */
export interface StateExchange {
	/** the Cookie header to send, or null */
	cookie: string | null;
	/** a fresh copy of the default locals */
	locals: Record<string, unknown>;
	/** absorbs the response's Set-Cookie lines; resolves once they are stored */
	finish(setCookies: readonly string[]): Promise<void>;
}

/** An in-memory KeyValueStore, for Node mode and tests. */
export function createMemoryKv<V>(): KeyValueStore<V> {
	const items = new Map<string, V>();
	return {
		get: async (key) => items.get(key),
		set: async (key, value) => void items.set(key, value),
		setMany: async (list) => list.forEach(([k, v]) => items.set(k, v)),
		delMany: async (keys) => keys.forEach((k) => items.delete(k)),
		entries: async () => [...items],
		clear: async () => items.clear(),
	};
}

/**
 * The browser state of one origin. The jar holds every cookie; where the page's
 * cookies can be reached (`PageCookies`, per request) the page-visible ones (not
 * HttpOnly) are mirrored there so `document.cookie` shows them, and cookies the
 * page wrote itself are read back. For cookies whose path covers the observed
 * path, the page's value wins (it may have changed or deleted them).
 */
export function createClientState(options: { cookies: KeyValueStore<JarCookie>; meta: KeyValueStore<unknown>; now?: () => number }) {
	const { cookies, meta } = options;
	const now = options.now ?? Date.now;
	let jar: Promise<CookieJar> | undefined;
	// The default locals are the locals-only state's job; this adds the jar around it.
	const localsState = createLocalsState({ meta });
	/** jar cookies whose copy into the page failed: copied again, never taken as deleted by the page */
	const unmirrored = new Set<string>();

	const loadJar = () =>
		(jar ??= cookies.entries().then(
			(list) => new CookieJar(list.map(([, c]) => c)),
			(error: unknown) => {
				jar = undefined;
				throw error;
			},
		));
	/** Brings the jar in line with what the page did to its cookies; returns the page's own cookies. */
	async function reconcile(current: CookieJar, seen: Array<{ name: string; value: string; path?: string | null }>, page: PageCookies) {
		const observedPath = page.observedPath;
		const put: Array<[string, JarCookie]> = [];
		const drop: string[] = [];
		// A cookie seen without a path (document.cookie) is matched by name, in Cookie header order.
		const matched = new Set<object>();
		const visible = current.all().filter((c) => !c.httpOnly && pathMatches(observedPath, c.path));
		visible.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
		for (const c of visible) {
			const there = seen.find((s) => !matched.has(s) && s.name === c.name && (s.path == null || s.path === c.path));
			if (there) matched.add(there);
			if (!there && unmirrored.has(cookieKey(c))) await mirrorInto(page, c);
			else if (!there) {
				current.remove(c);
				drop.push(cookieKey(c));
			} else if (there.value !== c.value) {
				const changed = { ...c, value: there.value };
				current.store(changed);
				put.push([cookieKey(changed), changed]);
			}
		}
		// HttpOnly cookies never reach the page, so a same-named visible one is the page's own.
		await Promise.all([put.length ? cookies.setMany(put) : undefined, drop.length ? cookies.delMany(drop) : undefined]);
		return seen.filter((c) => !matched.has(c)).map((c) => ({ name: c.name, value: c.value, path: c.path ?? '/' }));
	}

	/** Starts a request to `url`: its Cookie header and locals. A page whose cookies can't be read is left out. */
	async function begin(url: URL, site: RequestSite, page?: PageCookies): Promise<StateExchange> {
		const [current, { locals }, seen] = await Promise.all([loadJar(), localsState.begin(), page?.getAll().catch(() => undefined)]);
		const pageOwn = seen && page ? await reconcile(current, seen, page) : [];
		const t = now();
		const all: Array<{ name: string; value: string; path: string }> = [
			...current.matching(url, site, t),
			...pageOwn.filter((c) => pathMatches(url.pathname, c.path)),
		];
		// Longest path first, as browsers order the Cookie header.
		all.sort((a, b) => b.path.length - a.path.length);
		const inBrowser = new Set((seen ?? []).map((c) => c.name));
		return {
			cookie: all.length ? cookieHeader(all) : null,
			locals,
			finish: (lines) => absorb(lines, url, seen ? page : undefined, inBrowser),
		};
	}

	/** Stores a response's cookies in the jar, and mirrors the page-visible ones into the browser. */
	async function absorb(lines: readonly string[], url: URL, page: PageCookies | undefined, inBrowser: Set<string>): Promise<void> {
		if (!lines.length) return;
		const current = await loadJar();
		const t = now();
		const put: Array<[string, JarCookie]> = [];
		const drop: string[] = [];
		const mirror: Promise<void>[] = [];
		for (const line of lines) {
			const cookie = parseSetCookie(line, url, t);
			if (!cookie) continue;
			const id = { name: cookie.name, path: cookie.path, domain: cookie.hostOnly ? null : cookie.domain };
			if (isExpired(cookie, t)) {
				if (current.remove(cookie)) drop.push(cookieKey(cookie));
				if (page && !cookie.httpOnly) mirror.push(page.delete(id).catch(pageWarning));
				continue;
			}
			if (current.store(cookie)) put.push([cookieKey(cookie), cookie]);
			if (!page) continue;
			if (!cookie.httpOnly) mirror.push(mirrorInto(page, cookie));
			else if (inBrowser.has(cookie.name)) {
				// An HttpOnly cookie replaces a page-visible one of the same name.
				mirror.push(page.delete(id).catch(pageWarning));
			}
		}
		try {
			await Promise.all([put.length ? cookies.setMany(put) : undefined, drop.length ? cookies.delMany(drop) : undefined, ...mirror]);
		} catch (error) {
			// Memory must not run ahead of storage: the next request reloads the jar.
			jar = undefined;
			throw error;
		}
	}

	function pageWarning(error: unknown): void {
		console.warn("[sw-endpoints] could not update the page's cookies (document.cookie may lag behind):", error);
	}

	/** Copies a jar cookie into the page. The jar is the record: a failed copy is retried later. */
	async function mirrorInto(page: PageCookies, c: JarCookie): Promise<void> {
		const key = cookieKey(c);
		const sameSite = c.sameSite === 'unspecified' ? 'lax' : c.sameSite;
		try {
			await page.set({ name: c.name, path: c.path, domain: c.hostOnly ? null : c.domain, value: c.value, expires: c.expires, sameSite });
			unmirrored.delete(key);
		} catch (error) {
			if (!unmirrored.size) pageWarning(error);
			unmirrored.add(key);
		}
	}

	return {
		begin,
		/** Sets the locals every request starts with (persisted). */
		setLocals: localsState.setLocals,
		/** Forgets every cookie (the page's too, where reachable) and the default locals. */
		async reset(page?: PageCookies): Promise<void> {
			const current = await loadJar().catch(() => new CookieJar());
			const visible = current.all().filter((c) => !c.httpOnly);
			jar = Promise.resolve(new CookieJar());
			// A page whose cookies can't be read still gets the jar's visible cookies deleted.
			const pageCookies = page ? await page.getAll().catch(() => []) : [];
			await Promise.all([
				cookies.clear(),
				localsState.reset(),
				...pageCookies.map((c) => page!.delete({ name: c.name, path: c.path ?? '/' })),
				...(page ? visible.map((c) => page.delete({ name: c.name, path: c.path, domain: c.hostOnly ? null : c.domain })) : []),
			]);
		},
		/** Every cookie the jar holds. */
		async jarCookies(): Promise<JarCookie[]> {
			return (await loadJar()).all();
		},
	};
}
