// How the worker reaches the page's real cookies, per request: Chromium's
// cookieStore when it works in this worker instance, else the page itself
// (document.cookie, through the client library), else not at all (jar only).
import type { PageCookies } from './client-state.ts';
import type { PageMessage } from './protocol.ts';

/** The Cookie Store API as far as it is used here. */
interface CookieStoreApi {
	getAll(): Promise<Array<{ name: string; value: string; path?: string | null }>>;
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

const PROBE = '__sw-endpoints-probe';
const PAGE_TIMEOUT_MS = 1000;

/**
 * Returns a function giving the PageCookies for a request from `clientId`.
 * Probe: a worker instance that Chromium (156) restarted for a subresource fetch
 * sometimes gets a cookieStore that sees no cookies and throws on set/delete
 * (seen here in about half the restarts; a restart by navigation was always
 * fine). Deleting a cookie that doesn't exist tells the two apart, once per instance.
 */
export function createPageCookies(options: {
	cookieStore: CookieStoreApi | undefined;
	clients: PageClients;
	scriptPath: string;
}): (clientId: string) => Promise<PageCookies | undefined> {
	const { cookieStore, clients, scriptPath } = options;
	let works: Promise<boolean> | undefined;
	return async (clientId) => {
		if (cookieStore) {
			works ??= cookieStore.delete({ name: PROBE }).then(
				() => true,
				() => false,
			);
			if (await works) return { ...viaCookieStore(cookieStore), observedPath: scriptPath };
		}
		const client = clientId ? await clients.get(clientId) : undefined;
		return client ? viaPage(client) : undefined;
	};
}

function viaCookieStore(store: CookieStoreApi): Omit<PageCookies, 'observedPath'> {
	return {
		getAll: () => store.getAll(),
		set: (c) => store.set({ ...c, domain: c.domain ?? null }),
		delete: (c) => store.delete({ ...c, domain: c.domain ?? null }),
	};
}

/** The page's document.cookie, through the client library's message listener. */
function viaPage(client: PageClient): PageCookies {
	const ask = (write: string[]) =>
		new Promise<string>((resolve, reject) => {
			const channel = new MessageChannel();
			const timer = setTimeout(() => reject(new Error('the page did not answer (is startEmulator() running there?)')), PAGE_TIMEOUT_MS);
			channel.port1.onmessage = (event) => {
				clearTimeout(timer);
				resolve(String(event.data ?? ''));
			};
			client.postMessage({ type: 'page-cookies', write } satisfies PageMessage, [channel.port2]);
		});
	return overDocumentCookie(ask, new URL(client.url).pathname);
}

/**
 * PageCookies over a `document.cookie`: `exchange(lines)` assigns each line to it
 * and returns what it then reads (the worker reaches it by message; happy-dom directly).
 */
export function overDocumentCookie(exchange: (write: string[]) => Promise<string>, observedPath: string): PageCookies {
	return {
		observedPath,
		async getAll() {
			const text = await exchange([]);
			return text
				.split(';')
				.map((pair) => pair.trim())
				.filter(Boolean)
				.map((pair) => {
					const eq = pair.indexOf('=');
					return { name: eq === -1 ? '' : pair.slice(0, eq), value: eq === -1 ? pair : pair.slice(eq + 1), path: null };
				});
		},
		async set(c) {
			const attributes = [`Path=${c.path ?? '/'}`];
			if (c.domain) attributes.push(`Domain=${c.domain}`);
			if (c.expires !== null && c.expires !== undefined) attributes.push(`Expires=${new Date(c.expires).toUTCString()}`);
			if (c.sameSite) attributes.push(`SameSite=${c.sameSite}`);
			await exchange([`${c.name}=${c.value}; ${attributes.join('; ')}`]);
		},
		async delete(c) {
			const domain = c.domain ? `; Domain=${c.domain}` : '';
			await exchange([`${c.name}=; Path=${c.path ?? '/'}${domain}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`]);
		},
	};
}
