// A browser's cookie store for one site, kept by the worker because the browser
// drops Set-Cookie from responses a worker makes and adds Cookie only after the
// worker (seen in Chromium 156, Firefox 153 ESR and WebKitGTK 2.50). Pure data and functions: storage is the caller's.
// Rules from RFC 6265bis §5: parsing Set-Cookie, default path, path and domain
// matching, Max-Age over Expires, SameSite (Lax when unspecified, as Chromium).

/** One stored cookie. */
export interface JarCookie {
	name: string;
	value: string;
	/** the host (host-only) or the Domain attribute, lower case, no leading dot */
	domain: string;
	hostOnly: boolean;
	path: string;
	/** expiry time in ms since the epoch; null for a session cookie */
	expires: number | null;
	secure: boolean;
	httpOnly: boolean;
	sameSite: 'strict' | 'lax' | 'none' | 'unspecified';
	/** creation time (kept when a cookie is replaced), for the Cookie header order */
	created: number;
	/** the page was seen to hold this value (set in the page and read back); only then may the page's view change or delete it */
	shown?: boolean;
}

/** How a request relates to the site, which decides SameSite cookies. */
export interface RequestSite {
	/** the request comes from the site itself (its own page, or a navigation with a same-site referrer or none) */
	sameSite: boolean;
	/** a top-level navigation (Lax cookies go with cross-site top-level GET navigations) */
	navigation: boolean;
	method: string;
}

/** What one `apply()` did, as the jar stands after it: to persist (`stored`, `removed`) and to mirror (`kept`, `deleted`). */
export interface JarChanges {
	/** cookies stored or replaced (the jar's objects) */
	stored: JarCookie[];
	/** cookies the jar held and no longer does */
	removed: JarCookie[];
	/** cookies set again unchanged (the jar's objects, creation time kept) */
	kept: JarCookie[];
	/** the deletion lines (Max-Age ≤ 0, past Expires) as parsed, whether or not the jar held them */
	deleted: JarCookie[];
}

/** Identity of a cookie in the store: name, domain and path. */
export function cookieKey(c: Pick<JarCookie, 'name' | 'domain' | 'path'>): string {
	return `${c.domain};${c.path};${c.name}`;
}

/** RFC 6265 §5.1.4 default-path of a request path. */
export function defaultPath(requestPath: string): string {
	if (!requestPath.startsWith('/')) return '/';
	const i = requestPath.lastIndexOf('/');
	return i === 0 ? '/' : requestPath.slice(0, i);
}

/** RFC 6265 §5.1.4 path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
	if (requestPath === cookiePath) return true;
	return requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/');
}

/** RFC 6265 §5.1.3 domain-match (no IP-address suffix matching). */
export function domainMatches(host: string, domain: string): boolean {
	if (host === domain) return true;
	return host.endsWith(`.${domain}`) && !/^[\d.]+$|:/.test(host);
}

/** Whether cookies marked Secure may go to and come from this URL (https, or localhost as browsers allow). */
export function isSecureUrl(url: URL): boolean {
	return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** Parses one Set-Cookie line received for `url`; undefined when a browser would ignore it. */
export function parseSetCookie(line: string, url: URL, now: number): JarCookie | undefined {
	const [pair, ...attributes] = line.split(';');
	const eq = pair.indexOf('=');
	if (eq === -1) return undefined;
	const name = pair.slice(0, eq).trim();
	const value = pair.slice(eq + 1).trim();
	// RFC 6265bis 5.6: a name and value over 4096 bytes together drop the whole line.
	if (!name || name.length + value.length > MAX_COOKIE_SIZE) return undefined;
	const host = url.hostname.toLowerCase();
	const cookie: JarCookie = {
		name,
		value,
		domain: host,
		hostOnly: true,
		path: defaultPath(url.pathname),
		expires: null,
		secure: false,
		httpOnly: false,
		sameSite: 'unspecified',
		created: now,
	};
	let maxAge: number | undefined;
	let expires: number | undefined;
	for (const attribute of attributes) {
		const i = attribute.indexOf('=');
		const key = (i === -1 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
		const v = i === -1 ? '' : attribute.slice(i + 1).trim();
		// An attribute value over 1024 bytes is ignored, the cookie kept (RFC 6265bis 5.6).
		if (v.length > MAX_ATTRIBUTE_SIZE) continue;
		if (key === 'max-age' && /^-?\d+$/.test(v)) maxAge = Number(v);
		else if (key === 'expires') {
			const t = Date.parse(v);
			if (!Number.isNaN(t)) expires = t;
		} else if (key === 'domain' && v) {
			const domain = v.replace(/^\./, '').toLowerCase();
			if (!domainMatches(host, domain)) return undefined;
			cookie.domain = domain;
			cookie.hostOnly = false;
		} else if (key === 'path') cookie.path = v.startsWith('/') ? v : defaultPath(url.pathname);
		else if (key === 'secure') cookie.secure = true;
		else if (key === 'httponly') cookie.httpOnly = true;
		else if (key === 'samesite') {
			const s = v.toLowerCase();
			cookie.sameSite = s === 'strict' || s === 'lax' || s === 'none' ? s : 'unspecified';
		}
	}
	if (cookie.secure && !isSecureUrl(url)) return undefined;
	// SameSite=None without Secure is rejected by browsers.
	if (cookie.sameSite === 'none' && !cookie.secure) return undefined;
	if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : now + maxAge * 1000;
	else if (expires !== undefined) cookie.expires = expires;
	return cookie;
}

/** Browsers' cookie bounds: bytes of name and value, bytes of one attribute value, cookies of a site and what a purge leaves. */
const MAX_COOKIE_SIZE = 4096;
const MAX_ATTRIBUTE_SIZE = 1024;
const MAX_COOKIES = 180;
const PURGED_TO = 150;

/** The cookies of one site, as a browser keeps them. */
export class CookieJar {
	readonly #cookies = new Map<string, JarCookie>();

	constructor(cookies: Iterable<JarCookie> = []) {
		for (const c of cookies) this.#cookies.set(cookieKey(c), c);
	}

	/** Absorbs the Set-Cookie lines of a response to `url`, as a browser does. */
	apply(lines: readonly string[], url: URL, now = Date.now()): JarChanges {
		const changes: JarChanges = { stored: [], removed: [], kept: [], deleted: [] };
		for (const line of lines) {
			const cookie = parseSetCookie(line, url, now);
			if (!cookie) continue;
			if (isExpired(cookie, now)) {
				const removed = this.remove(cookie);
				if (removed) changes.removed.push(removed);
				changes.deleted.push(cookie);
			} else if (this.store(cookie)) changes.stored.push(cookie);
			else changes.kept.push(this.get(cookie)!);
		}
		// Past 180 cookies the oldest go until 150 are left, as Chromium keeps a domain's (kDomainMaxCookies, kDomainPurgeCookies).
		if (this.#cookies.size > MAX_COOKIES) {
			for (const c of [...this.#cookies.values()].sort((a, b) => a.created - b.created).slice(0, this.#cookies.size - PURGED_TO)) {
				this.remove(c);
				changes.removed.push(c);
				changes.deleted.push(c);
			}
		}
		// One response may set and delete the same cookie: report where each ended up.
		const held = (c: JarCookie) => this.get(c) === c;
		return {
			stored: unique(changes.stored.filter(held)),
			removed: changes.removed.filter((c) => !this.get(c)),
			kept: unique(changes.kept.filter((c) => held(c) && !changes.stored.includes(c))),
			deleted: changes.deleted.filter((c) => !this.get(c)),
		};
	}

	/** Stores a cookie (keeping the creation time of the one it replaces); false when nothing changed. */
	store(cookie: JarCookie): boolean {
		const key = cookieKey(cookie);
		const previous = this.#cookies.get(key);
		if (previous) {
			cookie.created = previous.created;
			if (sameCookie(previous, cookie)) return false;
		}
		this.#cookies.set(key, cookie);
		return true;
	}

	/** The stored cookie with the same name, domain and path. */
	get(cookie: Pick<JarCookie, 'name' | 'domain' | 'path'>): JarCookie | undefined {
		return this.#cookies.get(cookieKey(cookie));
	}

	/** Removes the cookie with the same name, domain and path; returns it if there was one. */
	remove(cookie: Pick<JarCookie, 'name' | 'domain' | 'path'>): JarCookie | undefined {
		const key = cookieKey(cookie);
		const previous = this.#cookies.get(key);
		this.#cookies.delete(key);
		return previous;
	}

	/** The cookies a request to `url` carries, in Cookie header order (longest path first, then oldest). */
	matching(url: URL, site: RequestSite, now = Date.now(), filter?: (c: JarCookie) => boolean): JarCookie[] {
		const host = url.hostname.toLowerCase();
		const secure = isSecureUrl(url);
		const out: JarCookie[] = [];
		for (const [key, c] of this.#cookies) {
			if (isExpired(c, now)) {
				this.#cookies.delete(key);
				continue;
			}
			if (c.hostOnly ? c.domain !== host : !domainMatches(host, c.domain)) continue;
			if (!pathMatches(url.pathname, c.path) || (c.secure && !secure)) continue;
			if (!site.sameSite && !sendsCrossSite(c, site)) continue;
			if (filter && !filter(c)) continue;
			out.push(c);
		}
		return out.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
	}

	/** Every cookie in the jar. */
	all(): JarCookie[] {
		return [...this.#cookies.values()];
	}

	/** Empties the jar. */
	clear(): void {
		this.#cookies.clear();
	}
}

function unique<T>(list: T[]): T[] {
	return [...new Set(list)];
}

/** Whether a parsed cookie is a deletion (Max-Age ≤ 0 or Expires in the past). */
export function isExpired(cookie: JarCookie, now: number): boolean {
	return cookie.expires !== null && cookie.expires <= now;
}

function sameCookie(a: JarCookie, b: JarCookie): boolean {
	return (
		a.value === b.value &&
		a.expires === b.expires &&
		a.hostOnly === b.hostOnly &&
		a.secure === b.secure &&
		a.httpOnly === b.httpOnly &&
		a.sameSite === b.sameSite
	);
}

/** SameSite for a cross-site request: None always, Lax (also unspecified) on top-level GET navigations. */
function sendsCrossSite(c: JarCookie, site: RequestSite): boolean {
	if (c.sameSite === 'none') return true;
	if (c.sameSite === 'strict') return false;
	return site.navigation && (site.method === 'GET' || site.method === 'HEAD');
}

/** Formats cookies as a Cookie header value. */
export function cookieHeader(cookies: readonly Pick<JarCookie, 'name' | 'value'>[]): string {
	return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
