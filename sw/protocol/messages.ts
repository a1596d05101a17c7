// Every message between the page (client/) and the worker: one union, one version.

/** Bumped whenever a message changes shape; the client checks it on start-up. */
export const PROTOCOL_VERSION = 4;

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

/** One handled request, as the request log shows it (`emulator.on('request')`). */
export interface RequestRecord {
	method: string;
	/** the full URL */
	url: string;
	/** pathname and search, e.g. `/api/posts/1?x=1` */
	path: string;
	/** 0 for a simulated network error */
	status: number;
	statusText: string;
	/** ms from the request reaching the emulator to its response being ready */
	duration: number;
	/** the matched route pattern (e.g. `/api/posts/[id]`), or null */
	route: string | null;
	/** the endpoint's source file (or `use(GET /path)` for an override), or null */
	file: string | null;
	kind: 'endpoint' | 'installed' | 'override' | 'redirect' | 'not-found' | 'network-error';
	/** the matched route's params, e.g. `{ id: '1' }` (`{}` when nothing matched) */
	params: Record<string, string | undefined>;
	/** the Set-Cookie lines of the response (the page cannot see them otherwise) */
	setCookies: string[];
	/** when the request arrived (epoch ms) */
	time: number;
}

/** A cookie the page may see (not HttpOnly), as the worker's jar holds it (`emulator.cookies()`). */
export interface PageCookie {
	name: string;
	value: string;
	path: string;
	/** expiry (epoch ms), or null for a session cookie */
	expires: number | null;
	/** whether the page's document.cookie was seen to hold it (false: the engine refused the copy, or its path does not cover the page) */
	inDocument: boolean;
}

/** An endpoint installed at run time (`emulator.install`). */
export interface InstalledEndpoint {
	/** relative to src/pages, e.g. `api/hello.ts` */
	file: string;
	route: string;
	methods: string[];
	/** the source it was compiled from, when the installer passed it */
	source?: string;
}

/** A simulated network condition for requests matching `path` (and `method`, default any). */
export interface NetworkRule {
	path: string;
	method?: string;
	/** ms to wait before answering */
	delay?: number;
	/** fail like a broken connection (fetch rejects with a TypeError) */
	fail?: boolean;
	/** fail only this many times, then answer normally */
	times?: number;
}

/** A handler override sent as source text, evaluated in the worker (`emulator.use`). */
export interface WireOverride {
	method: string;
	path: string;
	/** a function expression: `(context) => Response` */
	source: string;
	once?: boolean;
}

/** Page → worker. Each is sent with a MessagePort for the reply. */
export type ClientMessage =
	| { type: 'hello' }
	/** Take control of pages loaded without a controller (shift-reload). */
	| { type: 'claim' }
	| { type: 'exchange'; request: WireRequest }
	/** Default `context.locals` for every request (persisted). */
	| { type: 'set-locals'; locals: Record<string, unknown> }
	/** Forget cookies, sessions, locals, overrides and network rules. */
	| { type: 'reset' }
	/** A handler that wins over file routes until reset (persisted). */
	| { type: 'use'; override: WireOverride }
	/** Simulated latency or network failure for matching requests (persisted). */
	| { type: 'network'; rule: NetworkRule }
	/** An endpoint module compiled to CommonJS, installed at `file`'s route (persisted). */
	| { type: 'install'; file: string; code: string; source?: string }
	| { type: 'uninstall'; file: string }
	| { type: 'installed' }
	/** The page-visible cookies of the jar. */
	| { type: 'cookies' }
	/** Sent to a waiting worker: activate now (emulator.update()). */
	| { type: 'skip-waiting' }
	/** Resolve once every file of the build is in Cache Storage. */
	| { type: 'offline-ready' };

/**
 * Worker → page, unasked: writes `document.cookie` lines (when the worker cannot
 * use cookieStore) and answers with the page's `document.cookie` on the port;
 * and the record of each request of the page the worker answered.
 */
export type PageMessage = { type: 'page-cookies'; write: string[] } | { type: 'request'; record: RequestRecord };

/** Worker → page, on the port that came with the message. */
export type WorkerMessage =
	| { type: 'hello'; protocol: number; routes: number; version: string; dev: boolean }
	| { type: 'claimed' }
	| { type: 'done' }
	| { type: 'exchange'; response: WireResponse }
	| { type: 'installed'; endpoint: InstalledEndpoint }
	| { type: 'endpoints'; list: InstalledEndpoint[] }
	| { type: 'cookies'; list: PageCookie[] }
	| { type: 'error'; message: string };
