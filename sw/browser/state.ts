// What the browser would hold for the page, played by the worker: the cookie jar
// (mirrored into the page's real cookies) and the default locals the page set.
// Storage and the access to the page's cookies are passed in.
import { createLocalsState, type StateExchange } from './locals-state.ts';
import type { KeyValueStore } from '../core/kv.ts';
import type { PageCookie } from '../protocol/messages.ts';
import { cookieHeader, CookieJar, cookieKey, isExpired, pathMatches, type JarCookie, type RequestSite } from './cookie-jar.ts';

/** Access to the page's real cookies (the Cookie Store API, or the page's document.cookie). */
export interface PageCookies {
	/** the cookies the page sees at `observedPath` (the emulator's own probe cookies only when asked) */
	getAll(probes?: boolean): Promise<Array<{ name: string; value: string; path?: string | null }>>;
	/** writes a cookie and reads back what the page then sees: true only when the page shows it with this value */
	set(options: {
		name: string;
		value: string;
		path?: string;
		domain?: string | null;
		expires?: number | null;
		sameSite?: 'strict' | 'lax' | 'none';
	}): Promise<boolean>;
	delete(options: { name: string; path?: string; domain?: string | null }): Promise<void>;
	/** the path whose cookies getAll() returns */
	observedPath: string;
}

/**
 * The browser state of one origin. The jar holds every cookie and is the truth for
 * what handlers receive; where the page's cookies can be reached (`PageCookies`,
 * per request) the page-visible ones (not HttpOnly) are mirrored there so
 * `document.cookie` shows them, and cookies the page wrote itself are read back.
 * A mirrored cookie counts as shown only once reading back found it in the page
 * (`JarCookie.shown`): only then may the page's view change or delete it. A cookie
 * the page was never shown (the engine refused or dropped the copy) stays in the
 * jar and goes out with requests as before: no cookie is lost to a failed mirror.
 */
export function createClientState(options: { cookies: KeyValueStore<JarCookie>; meta: KeyValueStore<unknown>; now?: () => number }) {
	const { cookies, meta } = options;
	const now = options.now ?? Date.now;
	let jar: Promise<CookieJar> | undefined;
	// The default locals are the locals-only state's job; this adds the jar around it.
	const localsState = createLocalsState({ meta });
	/** jar cookies this worker instance copied into the page that the page then did not show: not copied on every request */
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
		const copy: JarCookie[] = [];
		for (const c of visible) {
			const there = seen.find((s) => !matched.has(s) && s.name === c.name && (s.path == null || s.path === c.path));
			if (there) matched.add(there);
			if (!c.shown) {
				// Never confirmed in the page: what the page holds under that name is stale
				// or absent, so the jar's value stands; copy it (once per worker instance).
				if (there && there.value === c.value) {
					c.shown = true;
					put.push([cookieKey(c), c]);
				} else if (!unmirrored.has(cookieKey(c))) copy.push(c);
			} else if (!there) {
				current.remove(c);
				drop.push(cookieKey(c));
			} else if (there.value !== c.value) {
				const changed = { ...c, value: there.value };
				current.store(changed);
				put.push([cookieKey(changed), changed]);
			}
		}
		for (const c of copy) {
			if (await mirrorInto(page, c)) put.push([cookieKey(c), c]);
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
		const changes = current.apply(lines, url, now());
		const put: Array<[string, JarCookie]> = changes.stored.map((c) => [cookieKey(c), c]);
		const drop = changes.removed.map(cookieKey);
		const mirror: Promise<unknown>[] = [];
		if (page) {
			for (const c of changes.deleted) if (!c.httpOnly) mirror.push(page.delete(idOf(c)).catch(pageWarning));
			for (const c of [...changes.stored, ...changes.kept]) {
				if (!c.httpOnly) {
					// The copy is read back before the jar records whether the page shows it.
					mirror.push(mirrorInto(page, c).then((marked) => marked && changes.kept.includes(c) && put.push([cookieKey(c), c])));
				} else if (inBrowser.has(c.name)) {
					// An HttpOnly cookie replaces a page-visible one of the same name.
					mirror.push(page.delete(idOf(c)).catch(pageWarning));
				}
			}
		}
		try {
			await Promise.all(mirror);
			await Promise.all([put.length ? cookies.setMany(put) : undefined, drop.length ? cookies.delMany(drop) : undefined]);
		} catch (error) {
			// Memory must not run ahead of storage: the next request reloads the jar.
			jar = undefined;
			throw error;
		}
	}

	function pageWarning(error: unknown): void {
		console.warn("[sw-endpoints] could not update the page's cookies (document.cookie may lag behind):", error);
	}

	/**
	 * Copies a jar cookie into the page and marks it shown when reading back found it
	 * there; returns whether that mark changed. The jar is the record either way.
	 */
	async function mirrorInto(page: PageCookies, c: JarCookie): Promise<boolean> {
		const key = cookieKey(c);
		const sameSite = c.sameSite === 'unspecified' ? 'lax' : c.sameSite;
		let shown = false;
		try {
			shown = await page.set({ ...idOf(c), value: c.value, expires: c.expires, sameSite });
			// The engine took the write and the page does not show it: don't ask again in this instance.
			if (shown) unmirrored.delete(key);
			else unmirrored.add(key);
		} catch (error) {
			// A failed write (page gone, storage error) is tried again on the next request.
			pageWarning(error);
		}
		const before = c.shown === true;
		if (shown) c.shown = true;
		else delete c.shown;
		return before !== shown;
	}

	return {
		begin,
		/** Starts reading the jar and the locals the first request needs (a restarted worker: storage opens meanwhile); a failure is met again by that request. */
		preload(): void {
			loadJar().catch(() => undefined);
			localsState.preload();
		},
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
				...(page ? visible.map((c) => page.delete(idOf(c))) : []),
			]);
		},
		/** The cookies a page script may see (not HttpOnly), and whether the page's real cookies show them. */
		async pageCookies(): Promise<PageCookie[]> {
			const t = now();
			return (await loadJar())
				.all()
				.filter((c) => !c.httpOnly && !isExpired(c, t))
				.map((c) => ({ name: c.name, value: c.value, path: c.path, expires: c.expires, inDocument: c.shown === true }));
		},
		/** Drops what is held in memory (storage was cleared under the worker): the next request reads storage again. */
		forget(): void {
			jar = undefined;
			unmirrored.clear();
			localsState.forget();
		},
		/** Every cookie the jar holds. */
		async jarCookies(): Promise<JarCookie[]> {
			return (await loadJar()).all();
		},
	};
}

/** A jar cookie as the page's cookie APIs name it: a host-only cookie has no domain there. */
function idOf(c: JarCookie): { name: string; path: string; domain: string | null } {
	return { name: c.name, path: c.path, domain: c.hostOnly ? null : c.domain };
}
