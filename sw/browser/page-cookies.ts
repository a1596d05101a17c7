// How the worker reaches the page's real cookies, per request: the worker's
// cookieStore when this worker instance has shown, through a page, that it and
// the page's document.cookie see the same cookies; else the page itself
// (document.cookie, through the client library); else not at all (jar only).
// Every write is read back: a cookie counts as shown only when the page holds it.
import type { PageCookies } from './state.ts';
import type { PageMessage } from '../protocol/messages.ts';

/** The Cookie Store API as far as it is used here. */
interface CookieStoreApi {
	get(name: string | { name: string; url?: string }): Promise<{ name: string; value: string } | null | undefined>;
	getAll(options?: { url?: string }): Promise<Array<{ name: string; value: string; path?: string | null }>>;
	set(options: object): Promise<void>;
	delete(options: object): Promise<void>;
}

/** The parts of a worker's `clients` / `Client` used here (typed structurally, for DOM and worker type checks alike). */
interface PageClient {
	url: string;
	postMessage(message: unknown, transfer: Transferable[]): void;
}
interface PageClients {
	get(id: string): Promise<PageClient | undefined>;
}

/** Names of the probe cookies: never handed to handlers, deleted after the probe. */
const PROBE = '__sw-endpoints-probe';
const PAGE_TIMEOUT_MS = 1000;

/**
 * Returns a function giving the PageCookies for a request from `clientId`.
 *
 * The worker's cookieStore is used only after a probe through a page showed it
 * works both ways (a cookie it sets shows in the page's document.cookie, and a
 * cookie the page sets shows in its getAll()), once per worker instance:
 * - Chromium 156: a worker instance restarted by a subresource fetch sometimes
 *   gets a cookieStore that sees no cookies and throws on set/delete (about half
 *   the restarts; restarts by navigation were fine).
 * - Firefox 153 ESR: in some worker instances the worker's cookieStore.set()
 *   resolves, yet neither the page nor the worker's own get()/getAll() ever see
 *   the cookie, and getAll() does not see the page's cookies either; in others it
 *   works both ways (seen in the same test run).
 * - WebKitGTK 2.50: the worker's set() resolves and nothing shows anywhere, while
 *   getAll() does see the page's cookies. (In its pages, cookieStore.set()
 *   resolves and document.cookie still lacks the cookie.)
 * Trusting a resolved set() lost cookies in both (the next request took the
 * page's missing copy for a deletion).
 * A request with no page to ask (a navigation) before the probe ran goes with the
 * jar alone. A page that does not answer (no client library there) is asked once;
 * its requests then use cookieStore if it works inside the worker, else the jar.
 */
export function createPageCookies(options: {
	cookieStore: CookieStoreApi | undefined;
	clients: PageClients;
	scriptPath: string;
}): (clientId: string, requestUrl?: string) => Promise<PageCookies | undefined> {
	const { cookieStore, clients, scriptPath } = options;
	/** the verdict of a probe through a page; undefined while no page answered */
	let withPage: Promise<Verdict | undefined> | undefined;
	/** the same once settled: with 'both' no request needs its page any more */
	let verdictNow: Verdict | undefined;
	let alone: Promise<boolean> | undefined;
	const silent = new Set<string>();
	// With cookieStore the page's cookies are read at the request's own URL, so one the
	// page set with `path=/api` reaches /api/* handlers, as a browser sends it.
	const byUrl: UrlSupport = { works: undefined };
	const viaStore = (store: CookieStoreApi, requestUrl: string | undefined) => viaCookieStore(store, requestUrl, scriptPath, byUrl);
	return async (clientId, requestUrl) => {
		if (cookieStore && verdictNow === 'both') return viaStore(cookieStore, requestUrl);
		const client = clientId && !silent.has(clientId) ? await clients.get(clientId) : undefined;
		const page = client ? viaPage(client, () => silent.add(clientId)) : undefined;
		if (!cookieStore) return page;
		if (page && !withPage) {
			withPage = probe(cookieStore, page).then((verdict) => {
				if (verdict === undefined) withPage = undefined;
				verdictNow = verdict;
				return verdict;
			});
		}
		const verdict = withPage ? await withPage : undefined;
		if (verdict === 'both') return viaStore(cookieStore, requestUrl);
		// WebKitGTK 2.50: the worker's cookieStore reads the page's cookies (at any path of the scope) but its writes go nowhere.
		if (verdict === 'reads' && page && !silent.has(clientId)) {
			const reads = readsAt(cookieStore, requestUrl, page.observedPath, byUrl);
			return {
				get observedPath() {
					return reads.observedPath;
				},
				getAll: reads.getAll,
				set: page.set,
				delete: page.delete,
			};
		}
		if (verdict) return silent.has(clientId) ? undefined : page;
		if (!clientId || !silent.has(clientId)) return undefined;
		alone ??= selfProbe(cookieStore);
		return (await alone) ? viaStore(cookieStore, requestUrl) : undefined;
	};
}

/** The page did not answer within PAGE_TIMEOUT_MS. */
class PageSilent extends Error {}

/** What the worker's cookieStore can do with the page's cookies: both read and write them, only read them, or neither. */
type Verdict = 'both' | 'reads' | 'neither';

/** How far the worker's cookieStore and the page's document.cookie agree; undefined when the page did not answer. */
async function probe(store: CookieStoreApi, page: PageCookies): Promise<Verdict | undefined> {
	const token = Math.random().toString(36).slice(2);
	let answered = false;
	try {
		await store.set({ name: `${PROBE}-w`, value: token, path: '/' }).catch(() => undefined);
		// The page writes its probe cookie and reports what it then sees.
		const fromPage = await page.set({ name: `${PROBE}-p`, value: token, path: '/' });
		answered = true;
		const [inPage, inWorker] = await Promise.all([page.getAll(true), store.get(`${PROBE}-p`).catch(() => undefined)]);
		if (!fromPage || inWorker?.value !== token) return 'neither';
		return inPage.some((c) => c.name === `${PROBE}-w` && c.value === token) ? 'both' : 'reads';
	} catch (error) {
		if (error instanceof PageSilent) return undefined;
		return 'neither';
	} finally {
		// Not waited for: the request that asked goes on meanwhile (every read leaves the probe cookies out).
		void Promise.all([
			store.delete({ name: `${PROBE}-w`, path: '/' }).catch(() => undefined),
			answered && page.delete({ name: `${PROBE}-p`, path: '/' }).catch(() => undefined),
			answered && page.delete({ name: `${PROBE}-w`, path: '/' }).catch(() => undefined),
		]);
	}
}

/** Whether cookieStore works inside this worker instance (set, then read back), for pages that cannot be asked. */
async function selfProbe(store: CookieStoreApi): Promise<boolean> {
	const token = Math.random().toString(36).slice(2);
	try {
		await store.set({ name: `${PROBE}-w`, value: token, path: '/' });
		const ok = (await store.get(`${PROBE}-w`))?.value === token;
		await store.delete({ name: `${PROBE}-w`, path: '/' });
		return ok;
	} catch {
		return false;
	}
}

/**
 * Whether this worker's cookieStore takes a `url` (learnt on first use, once per
 * instance). WebKitGTK 2.50 reads at any URL of the scope; Chromium 156 refuses
 * every one ("URL must be within Service Worker scope", even the scope's own), so
 * there it reads at the worker script's URL.
 */
interface UrlSupport {
	works: boolean | undefined;
}

/** Reading the page's cookies through the worker's cookieStore at `url` (the request's) where it can, else at `fallbackPath`. */
function readsAt(store: CookieStoreApi, url: string | undefined, fallbackPath: string, byUrl: UrlSupport): Pick<PageCookies, 'getAll' | 'observedPath'> {
	const atUrl = () => url !== undefined && byUrl.works !== false;
	const view: Pick<PageCookies, 'getAll' | 'observedPath'> = {
		observedPath: url && atUrl() ? new URL(url).pathname : fallbackPath,
		async getAll() {
			let all;
			if (atUrl()) {
				try {
					all = await store.getAll({ url });
					byUrl.works = true;
				} catch {
					byUrl.works = false;
					view.observedPath = fallbackPath;
				}
			}
			all ??= await store.getAll();
			return all.filter((c) => !c.name.startsWith(PROBE));
		},
	};
	return view;
}

/** The worker's cookieStore, read at `url` (the request's; else the worker script's URL). */
function viaCookieStore(store: CookieStoreApi, url: string | undefined, scriptPath: string, byUrl: UrlSupport): PageCookies {
	const reads = readsAt(store, url, scriptPath, byUrl);
	return {
		// read after getAll(), which may have fallen back to the script's path
		get observedPath() {
			return reads.observedPath;
		},
		getAll: reads.getAll,
		async set(c) {
			await store.set({ ...c, domain: c.domain ?? null });
			// Read back where the cookie applies (its path on this origin) where the engine
			// takes a URL, else at the worker script's URL.
			const at = url && byUrl.works !== false ? new URL(c.path ?? '/', url).href : undefined;
			const readBack = async () => {
				if (at) {
					try {
						return await store.get({ name: c.name, url: at });
					} catch {
						byUrl.works = false;
					}
				}
				return store.get(c.name).catch(() => undefined);
			};
			return (await readBack())?.value === c.value;
		},
		delete: (c) => store.delete({ ...c, domain: c.domain ?? null }),
	};
}

/** The page's document.cookie, through the client library's message listener. */
function viaPage(client: PageClient, onSilent: () => void): PageCookies {
	const ask = (write: string[]) =>
		new Promise<string>((resolve, reject) => {
			const channel = new MessageChannel();
			const timer = setTimeout(() => {
				onSilent();
				reject(new PageSilent('the page did not answer (is startEmulator() running there?)'));
			}, PAGE_TIMEOUT_MS);
			channel.port1.onmessage = (event) => {
				clearTimeout(timer);
				resolve(String(event.data ?? ''));
			};
			client.postMessage({ type: 'page-cookies', write } satisfies PageMessage, [channel.port2]);
		});
	return overDocumentCookie(ask, new URL(client.url).pathname);
}

/** Parses a `document.cookie` string (name=value pairs, no paths). */
function parseDocumentCookie(text: string): Array<{ name: string; value: string; path: null }> {
	return text
		.split(';')
		.map((pair) => pair.trim())
		.filter(Boolean)
		.map((pair) => {
			const eq = pair.indexOf('=');
			return { name: eq === -1 ? '' : pair.slice(0, eq), value: eq === -1 ? pair : pair.slice(eq + 1), path: null };
		});
}

/**
 * PageCookies over a `document.cookie`: `exchange(lines)` assigns each line to it
 * and returns what it then reads (the worker reaches it by message; happy-dom directly).
 */
export function overDocumentCookie(exchange: (write: string[]) => Promise<string>, observedPath: string): PageCookies {
	return {
		observedPath,
		async getAll(probes = false) {
			return parseDocumentCookie(await exchange([])).filter((c) => probes || !c.name.startsWith(PROBE));
		},
		async set(c) {
			const attributes = [`Path=${c.path ?? '/'}`];
			if (c.domain) attributes.push(`Domain=${c.domain}`);
			if (c.expires !== null && c.expires !== undefined) attributes.push(`Expires=${new Date(c.expires).toUTCString()}`);
			if (c.sameSite) attributes.push(`SameSite=${c.sameSite}`);
			const after = await exchange([`${c.name}=${c.value}; ${attributes.join('; ')}`]);
			// A cookie whose path does not cover the page is not in its document.cookie: not shown here.
			return parseDocumentCookie(after).some((seen) => seen.name === c.name && seen.value === c.value);
		},
		async delete(c) {
			const domain = c.domain ? `; Domain=${c.domain}` : '';
			await exchange([`${c.name}=; Path=${c.path ?? '/'}${domain}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`]);
		},
	};
}
