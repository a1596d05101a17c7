// Keeps the Set-Cookie lines of every Response made by endpoint code. Browsers
// drop `set-cookie` from a Response built in script at construction (response
// guard; seen in Chromium 156), so the build injects this `Response` in place of
// the global one (esbuild `inject`), and the handler reads the lines from here.
// Node keeps the header; reading it through here gives one path for both.

const NativeResponse = globalThis.Response;
const recorded = new WeakMap<Response, string[]>();
/** Responses endpoint code built on a ReadableStream: the only bodies that may not end (limits.ts bounds them). */
const streamed = new WeakSet<Response>();

/** Whether endpoint code built `response` with a ReadableStream body (strings, JSON, bytes and blobs are complete). */
export function hasStreamBody(response: Response): boolean {
	return streamed.has(response);
}

function linesOf(headers: HeadersInit | undefined): string[] {
	if (!headers) return [];
	if (headers instanceof Headers) return headers.getSetCookie();
	const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
	const out: string[] = [];
	for (const [k, v] of pairs as Array<[string, string]>) if (k.toLowerCase() === 'set-cookie') out.push(v);
	return out;
}

/** The Set-Cookie lines a response carries, whether or not its headers could keep them. */
export function getSetCookie(response: Response): string[] {
	return recorded.get(response) ?? response.headers.getSetCookie();
}

/** Records the Set-Cookie lines that belong to `response` (the handler's final answer). */
export function setSetCookie(response: Response, lines: string[]): void {
	recorded.set(response, lines);
}

/** A standard `Response` that remembers the Set-Cookie lines it was built with. */
class CookieKeepingResponse extends NativeResponse {
	constructor(body?: BodyInit | null, init?: ResponseInit) {
		super(body, init);
		if (body instanceof ReadableStream) streamed.add(this);
		// `new Response(body, otherResponse)` copies headers: carry the other's lines too.
		const lines = init instanceof NativeResponse ? getSetCookie(init) : linesOf(init?.headers);
		if (lines.length) recorded.set(this, lines);
	}

	/** Native responses (`Response.redirect()`, `context.redirect()`) are still `instanceof Response`. */
	static [Symbol.hasInstance](value: unknown): boolean {
		return value instanceof NativeResponse;
	}

	/** `Response.json()` that builds through the constructor above. */
	static override json(data: unknown, init: ResponseInit = {}): Response {
		const body = JSON.stringify(data);
		if (body === undefined) throw new TypeError('Response.json: value is not JSON serializable');
		const headers = new Headers(init.headers);
		if (!headers.has('content-type')) headers.set('content-type', 'application/json');
		return new CookieKeepingResponse(body, { status: init.status, statusText: init.statusText, headers });
	}
}

export { CookieKeepingResponse as Response };
