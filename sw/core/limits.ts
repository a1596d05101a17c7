// Request bounds, as a server has them. Past `headerSize` bytes of request line and
// headers, Node's http server (so Astro's Node adapter) answers 431 before anything
// runs (probed: Node 20, 16 KiB). A body past `bodySize` bytes gets 413 before a
// handler sees it: a declared Content-Length is refused unread, and a body without
// one is read only until it passes the bound. A handler (or middleware) that has not
// answered after `slowAfter` ms is named in one console line, and after `timeout`
// ms the request gets a 504 saying so: nothing hangs silently, and the worker is
// not stopped by the browser in the middle of an event. A body endpoint code built
// on a ReadableStream, still streaming at `timeout` (counted from the request), is
// cut there, with a console line: the page's read of it rejects. Other bodies are
// complete and pass untouched (a body streamed through worker script dies with
// the worker, where the browser's own would be delivered). A session past `sessionSize` bytes is not
// written (session.ts).
import { NativeResponse } from './native.ts';
import { serverRequest, withHeaders } from './request.ts';
import { hasStreamBody } from './response.ts';

/** Request bounds (config `limits`): sizes in bytes, times in ms. */
export interface Limits {
	bodySize: number;
	headerSize: number;
	/** a request unanswered this long gets one console line naming it */
	slowAfter: number;
	/** a request unanswered this long gets a 504, and the handler's answer, if it comes, is dropped; a body still streaming then is cut */
	timeout: number;
	/** a session whose stored form is larger is not written: the request gets a 500 (session.ts) */
	sessionSize?: number;
}

export type Bounded = { request: Request; refused?: undefined } | { refused: Response; why: string };

/**
 * The request (at `url`, already parsed) within bounds (with its body in memory once it had to be counted), or its
 * refusal and why. With `headers`, the request returned has that header list, and it is what is bounded.
 */
export async function withinLimits(request: Request, { pathname, search }: URL, { bodySize, headerSize }: Limits, replaced?: Headers): Promise<Bounded> {
	const { method, url } = request;
	const headers = replaced ?? request.headers;
	let size = method.length + pathname.length + search.length + 12; // `${method} ${path} HTTP/1.1\r\n`
	headers.forEach((value, name) => void (size += name.length + value.length + 4));
	if (size > headerSize) return refuse(431, `request line and headers of ${size} bytes`, `headerSize (${headerSize})`);
	const declared = headers.get('content-length');
	if (declared && +declared > bodySize) return refuse(413, `a body of ${declared} bytes`, `bodySize (${bodySize})`);
	if (declared || method === 'GET' || method === 'HEAD') return { request: replaced ? withHeaders(request, replaced) : request };
	// Firefox has no Request.body stream (request.ts): there the body is one buffer in memory already.
	const reader = (request.body ?? new Response(await request.arrayBuffer()).body)!.getReader();
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	size = 0;
	for (let next; !(next = await reader.read()).done; chunks.push(next.value)) {
		if ((size += next.value.byteLength) > bodySize) {
			void reader.cancel();
			return refuse(413, 'a larger body', `bodySize (${bodySize})`);
		}
	}
	// Bytes, not a Blob: in a browser a Blob goes through the blob registry (IPC), a fifth of a POST's worker time (profiled, Chromium 156).
	return { request: serverRequest(url, { method, headers, body: joined(chunks, size), signal: request.signal }) };
}

/** The chunks as one array (the one chunk itself when there is one). */
function joined(chunks: Uint8Array<ArrayBuffer>[], size: number): Uint8Array<ArrayBuffer> {
	if (chunks.length === 1) return chunks[0]!;
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

function refuse(status: 413 | 431, what: string, bound: string): Bounded {
	return { refused: new NativeResponse(null, { status }), why: `${what}, past limits.${bound}: answered ${status}` };
}

/**
 * `work` (the rest of the pipeline), bounded in time: one warning after `slowAfter`
 * ms, a 504 naming `what` after `timeout` ms; a body still streaming at `timeout`
 * is cut (`keep` re-notes the response that carries the cut body).
 */
export function inTime(
	work: Promise<Response>,
	what: string,
	{ slowAfter, timeout }: Limits,
	log: Pick<Console, 'warn' | 'error'>,
	keep: (from: Response, to: Response) => Response,
): Promise<Response> {
	const deadline = Date.now() + timeout;
	return new Promise<Response>((resolve, reject) => {
		let done = false;
		// One timer at a time: the warning's, then (for a slow request only) the 504's.
		const late = () => {
			if (done) return;
			done = true;
			const text = `[sw-endpoints] ${what} did not answer within ${timeout} ms (limits.timeout): answered 504`;
			log.error(text);
			resolve(new NativeResponse(text, { status: 504, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
		};
		const slow = () => {
			if (done) return;
			log.warn(`[sw-endpoints] ${what} has not answered after ${slowAfter} ms`);
			timer = setTimeout(late, deadline - Date.now());
		};
		let timer = slowAfter < timeout ? setTimeout(slow, slowAfter) : setTimeout(late, timeout);
		work.then(
			(response) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				resolve(response.body && hasStreamBody(response) ? keep(response, boundedBody(response, deadline, what, timeout, log)) : response);
			},
			(error: unknown) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				reject(error);
			},
		);
	});
}

/**
 * `response` with its body read through a stream that errors at `deadline` if the
 * body has not ended. (Not `pipeTo` with an abort signal: WebKit 2.50 does not pass
 * that error on to the page, whose read then waits forever; an error from the
 * stream's own controller reaches it, as in Chromium and Firefox.)
 */
function boundedBody(response: Response, deadline: number, what: string, timeout: number, log: Pick<Console, 'error'>): Response {
	const reader = response.body!.getReader();
	let cut: ReturnType<typeof setTimeout>;
	let ended = false;
	const bounded = new ReadableStream<Uint8Array>({
		start(controller) {
			cut = setTimeout(() => {
				const text = `[sw-endpoints] ${what}: the response body did not end within ${timeout} ms (limits.timeout): it was cut`;
				log.error(text);
				ended = true;
				const error = new Error(text);
				controller.error(error);
				reader.cancel(error).catch(() => undefined);
			}, deadline - Date.now());
		},
		async pull(controller) {
			try {
				const next = await reader.read();
				if (ended) return;
				if (next.done) {
					ended = true;
					clearTimeout(cut);
					controller.close();
				} else controller.enqueue(next.value);
			} catch (error) {
				if (ended) return;
				ended = true;
				clearTimeout(cut);
				controller.error(error);
			}
		},
		cancel(reason) {
			ended = true;
			clearTimeout(cut);
			return reader.cancel(reason);
		},
	});
	return new NativeResponse(bounded, response);
}
