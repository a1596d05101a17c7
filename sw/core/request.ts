// A Request whose headers may hold what a browser forbids scripts to set
// (`cookie`, `origin`): in a worker `new Request(url, { headers: { cookie } })`
// silently drops them, yet endpoints read `request.headers.get('cookie')` as on a
// server. A Headers object made on its own keeps them (seen in Chromium 156).

const NativeRequest = globalThis.Request;
/**
 * Firefox 153 ESR has no `Request.prototype.body` (`request.body` is undefined,
 * so `request.body !== null` holds for a GET): endpoints written for a server
 * read `body` as null without a body and as a stream with one.
 */
const NO_BODY_GETTER = !('body' in NativeRequest.prototype);

/**
 * The replaced header lists. Not a private field: happy-dom's Request constructor
 * reads `this.headers` before a subclass's fields exist.
 */
const replaced = new WeakMap<Request, Headers>();

/** A standard `Request` with a replaced header list; `clone()` keeps it. */
class ServerRequest extends NativeRequest {
	constructor(input: Request | string, init: RequestInit | undefined, headers: Headers) {
		super(input, init);
		replaced.set(this, headers);
	}

	override get headers(): Headers {
		return replaced.get(this) ?? super.headers;
	}

	override clone(): Request {
		return new ServerRequest(super.clone(), undefined, new Headers(this.headers));
	}
}

if (NO_BODY_GETTER) {
	const streams = new WeakMap<Request, ReadableStream<Uint8Array> | null>();
	Object.defineProperty(ServerRequest.prototype, 'body', {
		configurable: true,
		get(this: Request) {
			if (!streams.has(this)) {
				// A request without a body (GET, HEAD) has none; otherwise its bytes, read on first pull.
				const read = this.method === 'GET' || this.method === 'HEAD' ? null : () => NativeRequest.prototype.arrayBuffer.call(this);
				streams.set(
					this,
					read &&
						new ReadableStream<Uint8Array>({
							async pull(controller) {
								const bytes = new Uint8Array(await read());
								if (bytes.byteLength) controller.enqueue(bytes);
								controller.close();
							},
						}),
				);
			}
			return streams.get(this);
		},
	});
}

/** Returns a Request equal to `request` but with exactly `headers` (taking over its body). */
export function withHeaders(request: Request, headers: Headers): Request {
	return new ServerRequest(request, undefined, headers);
}

/** Builds a Request from parts with exactly the given headers, forbidden names included. */
export function serverRequest(
	url: string,
	init: { method: string; headers: Headers | Array<[string, string]>; body?: BodyInit | null; signal?: AbortSignal },
): Request {
	const headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
	const hasBody = init.body != null && init.method !== 'GET' && init.method !== 'HEAD';
	// One construction: the native list holds what it may (content-type, for body parsing), the replaced one all.
	return new ServerRequest(
		url,
		{
			method: init.method,
			headers,
			body: hasBody ? init.body : null,
			signal: init.signal,
			// Node needs `duplex` for stream bodies; browsers ignore it.
			...(hasBody ? { duplex: 'half' } : {}),
		} as RequestInit,
		headers,
	);
}
