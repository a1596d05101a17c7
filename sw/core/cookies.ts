// Dependency-free port of Astro's AstroCookies (astro/src/core/cookies/cookies.ts) and the
// cookie@2 `serialize`/`parse` it relies on, using only standard web globals.

/** Options for AstroCookies.set(), the cookie@2 serialize options Astro exposes. */
export interface AstroCookieSetOptions {
	domain?: string;
	path?: string;
	expires?: Date;
	maxAge?: number;
	httpOnly?: boolean;
	secure?: boolean;
	sameSite?: boolean | 'lax' | 'strict' | 'none';
	partitioned?: boolean;
	priority?: 'low' | 'medium' | 'high';
	encode?: (value: string) => string;
}

/** Options for AstroCookies.delete(); expires, maxAge and encode are ignored if given. */
export type AstroCookieDeleteOptions = Omit<AstroCookieSetOptions, 'expires' | 'maxAge' | 'encode'>;

/** Options for AstroCookies.get() and has(). */
export interface AstroCookieGetOptions {
	decode?: (value: string) => string;
}

// cookie@2: name = visible ASCII except '=' and ';'; encoded value = visible ASCII except ';' (jshttp/cookie#191).
const NAME_RE = /^[\u0021-\u003A\u003C\u003E-\u007E]+$/;
const VALUE_RE = /^[\u0021-\u003A\u003C-\u007E]*$/;
const DOMAIN_RE = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PATH_RE = /^[\u0020-\u003A\u003D-\u007E]*$/;
// Anything outside RFC 6265 cookie-octet, plus '%' so that decodeURIComponent on read round-trips.
const NEEDS_ENCODING = /[^\x21\x23\x24\x26-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]/;
const DELETED_VALUE = 'deleted';
const DELETED_EXPIRATION = new Date(0);

/** Astro's default encoder: encodeURIComponent, but only for values that are not already valid cookie-octets. */
const encodeIfNeeded = (value: string): string => (NEEDS_ENCODING.test(value) ? encodeURIComponent(value) : value);

/** Title-cases an enum option (case-insensitive) or throws cookie@2's TypeError. */
function enumOption(option: string, value: unknown, allowed: readonly string[]): string {
	const lower = typeof value === 'string' ? value.toLowerCase() : '';
	if (!allowed.includes(lower)) throw new TypeError(`option ${option} is invalid: ${value}`);
	return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** Serializes one Set-Cookie line exactly like cookie@2's `serialize` (default encode: encodeURIComponent). */
export function serializeCookie(name: string, value: string, options: AstroCookieSetOptions = {}): string {
	if (!NAME_RE.test(name)) throw new TypeError(`argument name is invalid: ${name}`);
	const encoded = (options.encode ?? encodeURIComponent)(value);
	if (!VALUE_RE.test(encoded)) throw new TypeError(`argument val is invalid: ${value}`);
	let line = `${name}=${encoded}`;
	const { maxAge, domain, path, expires, priority, sameSite } = options;
	if (maxAge !== undefined) {
		if (!Number.isInteger(maxAge)) throw new TypeError(`option maxAge is invalid: ${maxAge}`);
		line += `; Max-Age=${maxAge}`;
	}
	if (domain) {
		if (!DOMAIN_RE.test(domain)) throw new TypeError(`option domain is invalid: ${domain}`);
		line += `; Domain=${domain}`;
	}
	if (path) {
		if (!PATH_RE.test(path)) throw new TypeError(`option path is invalid: ${path}`);
		line += `; Path=${path}`;
	}
	if (expires) {
		if (Object.prototype.toString.call(expires) !== '[object Date]' || !Number.isFinite(expires.valueOf())) {
			throw new TypeError(`option expires is invalid: ${expires}`);
		}
		line += `; Expires=${expires.toUTCString()}`;
	}
	if (options.httpOnly) line += '; HttpOnly';
	if (options.secure) line += '; Secure';
	if (options.partitioned) line += '; Partitioned';
	if (priority) line += `; Priority=${enumOption('priority', priority, ['low', 'medium', 'high'])}`;
	if (sameSite) {
		line += `; SameSite=${sameSite === true ? 'Strict' : enumOption('sameSite', sameSite, ['strict', 'lax', 'none'])}`;
	}
	return line;
}

/** Parses a Cookie request header like cookie@2's `parse` with an identity decoder (raw values, first name wins). */
export function parseCookieHeader(header: string): Record<string, string> {
	const cookies: Record<string, string> = Object.create(null);
	const trim = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');
	for (const pair of header.split(';')) {
		const eq = pair.indexOf('=');
		if (eq === -1) continue;
		const name = trim(pair.slice(0, eq));
		if (!(name in cookies)) cookies[name] = trim(pair.slice(eq + 1));
	}
	return cookies;
}

/** Thrown by AstroCookies.set() once the outgoing cookies have been consumed into a response. */
export class ResponseSentError extends Error {
	override name = 'ResponseSentError';
	constructor() {
		super('The response has already been sent to the browser and cannot be altered.');
	}
}

/** A cookie value with Astro's conversion helpers. */
export class AstroCookie {
	value: string;
	constructor(value: string) {
		this.value = value;
	}
	json(): any {
		return JSON.parse(this.value);
	}
	number(): number {
		return Number(this.value);
	}
	boolean(): boolean {
		return this.value !== 'false' && this.value !== '0' && Boolean(this.value);
	}
}

/** Astro's request/response cookie jar: reads the Cookie header and collects Set-Cookie lines. */
export class AstroCookies {
	#header: string | null;
	#request: Record<string, string> | null = null;
	// name -> [value as passed to set(), Set-Cookie line, set (true) or deleted (false)]
	#outgoing = new Map<string, [string, string, boolean]>();
	#consumed = false;

	constructor(cookieHeader: string | null) {
		this.#header = cookieHeader;
	}

	get(name: string, options?: AstroCookieGetOptions): AstroCookie | undefined {
		const outgoing = this.#outgoing.get(name);
		if (outgoing) return outgoing[2] ? new AstroCookie(outgoing[0]) : undefined;
		const raw = this.#parsed()[name];
		// Astro: an empty request value reads as undefined even though has() is true.
		if (!raw) return undefined;
		try {
			return new AstroCookie((options?.decode ?? decodeURIComponent)(raw));
		} catch {
			return new AstroCookie(raw);
		}
	}

	has(name: string, _options?: AstroCookieGetOptions): boolean {
		const outgoing = this.#outgoing.get(name);
		return outgoing ? outgoing[2] : this.#parsed()[name] !== undefined;
	}

	set(name: string, value: string | number | boolean | Record<string, any>, options?: AstroCookieSetOptions): void {
		if (this.#consumed) throw new ResponseSentError();
		let serialized: string;
		if (typeof value === 'string') serialized = value;
		else {
			// Astro: plain objects (default toString) are JSON-encoded, anything else uses its own toString().
			const text = value.toString();
			serialized = text === Object.prototype.toString.call(value) ? JSON.stringify(value) : text;
		}
		const line = serializeCookie(name, serialized, { ...options, encode: options?.encode ?? encodeIfNeeded });
		this.#outgoing.set(name, [serialized, line, true]);
	}

	delete(name: string, options?: AstroCookieDeleteOptions): void {
		const { expires, maxAge, encode, ...rest } = (options ?? {}) as AstroCookieSetOptions;
		const line = serializeCookie(name, DELETED_VALUE, { expires: DELETED_EXPIRATION, ...rest });
		this.#outgoing.set(name, [DELETED_VALUE, line, false]);
	}

	merge(other: AstroCookies): void {
		for (const [name, entry] of other.#outgoing) this.#outgoing.set(name, entry);
	}

	*headers(): Generator<string> {
		for (const [, line] of this.#outgoing.values()) yield line;
	}

	consume(): string[] {
		this.#consumed = true;
		return [...this.headers()];
	}

	#parsed(): Record<string, string> {
		return (this.#request ??= this.#header ? parseCookieHeader(this.#header) : Object.create(null));
	}
}
