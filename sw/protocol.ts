// Every message between the page (client/) and the worker: one union, one version.

/** Bumped whenever a message changes shape; the client checks it on start-up. */
export const PROTOCOL_VERSION = 2;

/** A request as raw data, with headers a browser would not let a page send (Cookie, Origin). */
export interface WireRequest {
	method: string;
	url: string;
	headers: Array<[string, string]>;
	body: ArrayBuffer | null;
}

/** A response as raw data: every header line, each Set-Cookie on its own, and the body bytes. */
export interface WireResponse {
	status: number;
	statusText: string;
	headers: Array<[string, string]>;
	body: ArrayBuffer;
}

/** Page → worker. Each is sent with a MessagePort for the reply. */
export type ClientMessage =
	| { type: 'hello' }
	/** Take control of pages loaded without a controller (shift-reload). */
	| { type: 'claim' }
	| { type: 'exchange'; request: WireRequest }
	/** Default `context.locals` for every request (persisted). */
	| { type: 'set-locals'; locals: Record<string, unknown> }
	/** Forget cookies, sessions and locals. */
	| { type: 'reset' }
	/** Sent to a waiting worker: activate now (emulator.update()). */
	| { type: 'skip-waiting' }
	/** Resolve once every file of the build is in Cache Storage. */
	| { type: 'offline-ready' };

/**
 * Worker → page, unasked: writes `document.cookie` lines (when the worker cannot
 * use cookieStore) and answers with the page's `document.cookie` on the port.
 */
export type PageMessage = { type: 'page-cookies'; write: string[] };

/** Worker → page, on the port that came with the message. */
export type WorkerMessage =
	| { type: 'hello'; protocol: number; routes: number; version: string; dev: boolean }
	| { type: 'claimed' }
	| { type: 'done' }
	| { type: 'exchange'; response: WireResponse }
	| { type: 'error'; message: string };
