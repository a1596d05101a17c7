// The run-time controls, typed once: the page's client (`startEmulator()`), the
// Playwright fixture and Node mode's emulator all implement `Controls`, and
// sw/controls implements it for the worker and for Node. Messages carry a control
// as `ControlCall`, so the worker's side is typed by the same interface.

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

/** A handler that runs inside the worker: a function (sent as source text, so it cannot use variables from around it) or its source. */
export type WorkerHandler = string | ((context: any) => Response | Promise<Response>);

/** What `seed()` writes, as if an endpoint had set it: cookies (in the jar), session values, default locals. */
export interface SeedData {
	cookies?: Record<string, string>;
	session?: Record<string, unknown>;
	locals?: Record<string, unknown>;
}

/**
 * The controls of an emulator, the same in every host. `Handler` is what `use()`
 * takes: source text or a function turned into it where the handler runs in the
 * worker; Node mode also takes closures and Responses.
 */
export interface Controls<Handler = WorkerHandler> {
	/**
	 * A handler that answers `method` (or `'*'`) requests to `path` (Astro syntax: `/api/posts/[id]`, `*` for anything,
	 * as the page requests it, base included) before the file routes, until reset(); the newest wins.
	 */
	use(method: string, path: string, handler: Handler, options?: { once?: boolean }): Promise<void>;
	/** Waits `ms` before answering matching requests, until reset(). */
	delay(path: string, ms: number, options?: { method?: string }): Promise<void>;
	/** Makes matching requests fail like a broken connection (fetch rejects), `times` times or until reset(). */
	fail(path: string, options?: { method?: string; times?: number }): Promise<void>;
	/** Writes cookies and session values as an endpoint would, and default locals. */
	seed(data: SeedData): Promise<void>;
	/** Sets the `context.locals` every request starts with (e.g. a signed-in user). */
	setLocals(locals: Record<string, unknown>): Promise<void>;
	/** Forgets cookies (the page's too), sessions, locals, overrides and network rules: a clean state, e.g. between tests. */
	reset(): Promise<void>;
	/** Installs an endpoint module compiled to CommonJS at `file`'s route (e.g. `api/hello.ts`); in the worker it outlasts the instance. */
	/**
	 * Installs an endpoint compiled to CommonJS. It is kept (IndexedDB) for this build only: a new build drops it,
	 * unless `keep: true` keeps it across builds on purpose.
	 */
	install(file: string, code: string, options?: { source?: string; keep?: boolean }): Promise<InstalledEndpoint>;
	uninstall(file: string): Promise<void>;
	installed(): Promise<InstalledEndpoint[]>;
	/**
	 * The cookies endpoints set that a page script may see (not HttpOnly), as the jar holds and sends them.
	 * `document.cookie` shows the same ones where the browser lets the worker copy them there (`inDocument`).
	 */
	cookies(): Promise<PageCookie[]>;
}

/** The name of a control. */
export type ControlName = keyof Controls;

/** The controls every build has, also one made without the others: the page's state. */
export type StateControlName = 'setLocals' | 'reset' | 'cookies';
export const STATE_CONTROLS: readonly ControlName[] = ['setLocals', 'reset', 'cookies'] satisfies StateControlName[];

/** One control as a message carries it (and the Playwright fixture queues it): `use`'s handler as source text. */
export type ControlCall = { [K in ControlName]: { op: K; args: Parameters<Controls<string>[K]> } }[ControlName];

/** What a control resolves to. */
export type ControlResult<K extends ControlName> = Awaited<ReturnType<Controls[K]>>;
