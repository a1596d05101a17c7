// Every message between the page (client/) and the worker: one union, one version.
import type { ControlCall, InstalledEndpoint, PageCookie } from './controls.ts';

export type { InstalledEndpoint, PageCookie };

/** Bumped whenever a message changes shape; the client checks it on start-up. */
export const PROTOCOL_VERSION = 6;

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
	kind: 'endpoint' | 'installed' | 'override' | 'redirect' | 'not-found' | 'network-error' | 'refused';
	/** the matched route's params, e.g. `{ id: '1' }` (`{}` when nothing matched) */
	params: Record<string, string | undefined>;
	/** the Set-Cookie lines of the response (the page cannot see them otherwise) */
	setCookies: string[];
	/** when the request arrived (epoch ms) */
	time: number;
}

/** Page → worker. Each is sent with a MessagePort for the reply. */
export type ClientMessage =
	| { type: 'hello' }
	/** Take control of pages loaded without a controller (shift-reload). */
	| { type: 'claim' }
	| { type: 'exchange'; request: WireRequest }
	/** One of the controls (setLocals, reset, use, …), answered by `{ type: 'control', value }`. */
	| ({ type: 'control' } & ControlCall)
	/** Sent to a waiting worker: activate now (emulator.update()). */
	| { type: 'skip-waiting' }
	/** Resolve once every file of the build is in Cache Storage. */
	| { type: 'offline-ready' }
	/** Which of these URLs reach a route: development builds name the page's requests that went to the network before it was controlled. */
	| { type: 'answers'; urls: string[] };

/**
 * Worker → page, unasked: writes `document.cookie` lines (when the worker cannot
 * use cookieStore) and answers with the page's `document.cookie` on the port;
 * and the record of each request of the page the worker answered.
 */
export type PageMessage = { type: 'page-cookies'; write: string[] } | { type: 'request'; record: RequestRecord };

/** Worker → page, on the port that came with the message. */
export type WorkerMessage =
	/** `controls`: whether the build has the controls; without them it answers only the state controls (`STATE_CONTROLS`) */
	| { type: 'hello'; protocol: number; routes: number; version: string; dev: boolean; controls: boolean }
	| { type: 'claimed' }
	| { type: 'done' }
	| { type: 'exchange'; response: WireResponse }
	/** what the control resolved to (`ControlResult` of its op) */
	| { type: 'control'; value: unknown }
	/** the URLs of an `answers` message that reach a route */
	| { type: 'answers'; urls: string[] }
	| { type: 'error'; message: string };
