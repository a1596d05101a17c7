// WebKit through WebKitGTK's classic WebDriver (Debian's webkit2gtk-driver) and
// its MiniBrowser, spoken to with plain fetch(). Playwright's WebKit is a
// patched build it downloads; this is the stock engine instead.
//
// WebKitGTK 2.50's MiniBrowser has no headless mode, so each launch starts an
// Xvfb of its own (unless the caller passes a display).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findWebKit } from '../../scripts/browsers.mjs';
import { callSource, pollPage } from './index.mjs';

/** @typedef {import('./index.mjs').EngineBrowser} EngineBrowser */
/** @typedef {import('./index.mjs').EnginePage} EnginePage */
/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

/** How long `close()` waits for a clean shutdown before killing everything. */
const CLOSE_TIMEOUT = 5_000;
/** How long a launch step (Xvfb, driver, session) may take. */
const START_TIMEOUT = 30_000;
// Beyond the page-load and script timeouts set on the session, so WebDriver's
// own timeout error arrives first; only a wedged driver hits this one.
const COMMAND_TIMEOUT = 150_000;

/** The MiniBrowser, its WebDriver and Xvfb (scripts/browsers.mjs), or an error naming the package. */
function webkitPaths() {
	const { driver, miniBrowser, xvfb } = findWebKit();
	if (!driver || !miniBrowser || !xvfb) {
		throw new Error('WebKitGTK not found: install webkit2gtk-driver and xvfb, or set WEBKIT_WEBDRIVER_PATH, MINIBROWSER_PATH and XVFB_PATH');
	}
	return { driver, miniBrowser, xvfb };
}

/** A port free right now on 127.0.0.1 (another process may take it before the driver does: launch retries). */
function freePort() {
	return /** @type {Promise<number>} */ (
		new Promise((resolve, reject) => {
			const server = createServer();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const port = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(port));
			});
		})
	);
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether `promise` settles within `ms`; the timer is cleared after, so a long
 * grace period does not keep Node alive once the process has exited.
 * @param {Promise<unknown>} promise
 * @param {number} ms
 */
async function within(promise, ms) {
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	const timedOut = new Promise((r) => {
		timer = setTimeout(r, ms, false);
	});
	try {
		return await Promise.race([
			promise.then(
				() => true,
				() => true,
			),
			timedOut,
		]);
	} finally {
		clearTimeout(timer);
	}
}

/** @param {ChildProcess} proc */
const running = (proc) => proc.exitCode === null && proc.signalCode === null;

/** @typedef {{ pid: number, ppid: number, name: string, zombie: boolean }} ProcessInfo */

/**
 * The processes of group `pgid` now, from /proc (Linux; none elsewhere).
 * @param {number} pgid
 * @returns {ProcessInfo[]}
 */
function groupMembers(pgid) {
	/** @type {ProcessInfo[]} */
	const members = [];
	/** @type {string[]} */
	let names = [];
	try {
		names = readdirSync('/proc');
	} catch {}
	for (const name of names) {
		if (!/^\d+$/.test(name)) continue;
		let stat;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue;
		}
		// "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses.
		const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(pgrp) !== pgid) continue;
		members.push({
			pid: Number(name),
			ppid: Number(ppid),
			name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
			zombie: state === 'Z' || state === 'X',
		});
	}
	return members;
}

/**
 * Sends `signal` to a process group, if anything is left in it.
 * @param {number} pgid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {}
}

/**
 * Ends a process spawned with `detached: true` and everything in its process
 * group, deepest first: the driver's group holds MiniBrowser and its
 * WebKit*Process children, and each parent must still be alive to reap its
 * children. Killing the group at once (or DELETE /session, after which
 * MiniBrowser quits before its web process does) leaves them to init as
 * zombies. SIGTERM, SIGKILL for what does not go, and after `timeout` ms SIGKILL
 * to the whole group.
 *
 * WebKitGTK 2.50: MiniBrowser reloads a page whose web process died, once, in a
 * new web process, and aborts ("readPIDFromPeer: Unexpected short read from PID
 * socket") if that one dies while it is still being launched. So a process that
 * appears during the shutdown is given YOUNG ms before it is killed in turn.
 * @param {ChildProcess} proc
 * @param {number} timeout
 */
async function stopTree(proc, timeout) {
	const YOUNG = 300;
	const pgid = proc.pid;
	if (!pgid) return;
	const exited = running(proc) ? new Promise((resolve) => proc.once('exit', resolve)) : Promise.resolve();
	const deadline = Date.now() + timeout;
	/** When each process was first seen; those there from the start count as old. */
	/** @type {Map<number, number>} */
	const seen = new Map(groupMembers(pgid).map((m) => [m.pid, 0]));
	/** @param {ProcessInfo[]} procs those still there, not yet reaped by their parent */
	const unreaped = (procs) => groupMembers(pgid).filter((m) => procs.some((p) => p.pid === m.pid && p.ppid === m.ppid));
	for (;;) {
		const now = Date.now();
		const members = groupMembers(pgid);
		for (const m of members) if (!seen.has(m.pid)) seen.set(m.pid, now);
		const alive = members.filter((m) => !m.zombie);
		if (!alive.length || now > deadline) break;
		// A parent with a child not reaped yet (even a zombie) waits for it.
		let leaves = alive.filter((m) => !members.some((c) => c.ppid === m.pid));
		// The network process last: a web process that loses it asks MiniBrowser
		// for a new one, which would then outlive its parent.
		if (leaves.some((m) => !m.name.startsWith('WebKitNetwork'))) leaves = leaves.filter((m) => !m.name.startsWith('WebKitNetwork'));
		leaves = leaves.filter((m) => now - (seen.get(m.pid) ?? 0) >= YOUNG);
		if (!leaves.length) {
			await sleep(10);
			continue;
		}
		for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGTERM', 'SIGKILL'])) {
			for (const { pid } of unreaped(leaves)) {
				try {
					process.kill(pid, signal);
				} catch {}
			}
			const until = Math.min(deadline, Date.now() + 500);
			while (unreaped(leaves).length && Date.now() < until) await sleep(10);
			if (!unreaped(leaves).length) break;
		}
	}
	signalGroup(pgid, 'SIGKILL');
	await within(exited, 1_000);
}

/** Last-resort cleanups of launches not closed yet, run if the process exits or is signalled first. */
/** @type {Set<() => void>} */
const unclosed = new Set();
const cleanUpAll = () => {
	for (const cleanUp of unclosed) cleanUp();
	unclosed.clear();
};
/** @param {NodeJS.Signals} signal */
const onSignal = (signal) => {
	cleanUpAll();
	// Alone on this signal, so without us it would have ended the process: do that now.
	if (process.listenerCount(signal) === 1) {
		untrack();
		process.kill(process.pid, signal);
	}
};
const SIGNALS = /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
function untrack() {
	process.off('exit', cleanUpAll);
	for (const signal of SIGNALS) process.off(signal, onSignal);
}
/**
 * Runs `cleanUp` (synchronous) if the process ends before the returned function is called.
 * @param {() => void} cleanUp
 */
function track(cleanUp) {
	if (!unclosed.size) {
		process.on('exit', cleanUpAll);
		for (const signal of SIGNALS) process.on(signal, onSignal);
	}
	unclosed.add(cleanUp);
	return () => {
		unclosed.delete(cleanUp);
		if (!unclosed.size) untrack();
	};
}

/**
 * SIGTERM, on which Xvfb removes its lock file and socket; SIGKILL after 1 s.
 * @param {ChildProcess} proc
 */
async function stopXvfb(proc) {
	const exited = new Promise((resolve) => proc.once('exit', resolve));
	if (running(proc)) {
		proc.kill('SIGTERM');
		if (!(await within(exited, 1_000)) && proc.pid) signalGroup(proc.pid, 'SIGKILL');
		await within(exited, 1_000);
	}
}

/**
 * Starts an Xvfb on a display number it picks itself: with -displayfd and no
 * number, Xvfb tries :0, :1, ... until it can bind the display's socket and
 * writes the one it got to that fd, so parallel launches never share one.
 * @returns {Promise<{ proc: ChildProcess, display: string }>}
 */
async function startXvfb() {
	// -noreset: else each time its last client leaves, Xvfb resets and runs xkbcomp again.
	const proc = spawn(webkitPaths().xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp', '-noreset'], {
		stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let err = '';
	proc.stderr?.on('data', (d) => (err = (err + d).slice(-2_000)));
	const fd = /** @type {import('node:stream').Readable} */ (proc.stdio[3]);
	try {
		const display = await new Promise((resolve, reject) => {
			let out = '';
			const timer = setTimeout(() => reject(new Error(`Xvfb did not start in ${START_TIMEOUT} ms: ${err}`)), START_TIMEOUT);
			fd.on('data', (d) => {
				out += d;
				if (out.includes('\n')) {
					clearTimeout(timer);
					resolve(`:${out.trim()}`);
				}
			});
			proc.once('error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
			proc.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`Xvfb exited (${signal ?? code}): ${err}`));
			});
		});
		fd.destroy();
		return { proc, display };
	} catch (error) {
		await stopXvfb(proc);
		throw error;
	}
}

/**
 * Starts WebKitWebDriver on a free port and waits for GET /status to say ready.
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<{ proc: ChildProcess, base: string, output: string[] }>}
 */
async function startDriver(env) {
	const executable = webkitPaths().driver;
	/** @type {unknown} */
	let lastError;
	// A port picked free can be taken by another process before the driver binds it.
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const proc = spawn(executable, [`--port=${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		/** @type {string[]} */
		const output = [];
		collectLines(proc, output);
		const base = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + START_TIMEOUT;
		let failed = false;
		proc.once('error', (e) => {
			lastError = e;
			failed = true;
		});
		while (!failed && running(proc) && Date.now() < deadline) {
			try {
				const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(2_000) });
				const body = await res.json();
				if (body?.value?.ready) return { proc, base, output };
			} catch {}
			await sleep(50);
		}
		lastError ??= new Error(`WebKitWebDriver on port ${port} ${running(proc) ? 'never became ready' : 'exited'}: ${output.slice(-5).join('\n')}`);
		await stopTree(proc, 1_000);
	}
	throw lastError;
}

/**
 * Collects a process's stdout and stderr lines (MiniBrowser's and the web
 * processes' included: they inherit the driver's).
 * @param {ChildProcess} proc
 * @param {string[]} lines
 */
function collectLines(proc, lines) {
	for (const stream of [proc.stdout, proc.stderr]) {
		let rest = '';
		stream?.setEncoding('utf8');
		stream?.on('data', (/** @type {string} */ d) => {
			const parts = (rest + d).split('\n');
			rest = parts.pop() ?? '';
			lines.push(...parts);
			if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
		});
	}
}

// Console lines. WebKitGTK 2.50 writes console messages to stdout only for
// pages outside ephemeral sessions (--enable-write-console-messages-to-stdout is
// ignored), and an automation session of MiniBrowser is ephemeral; classic WebDriver
// has no log endpoint nor a script to run before the page's own. So every
// evaluate first wraps the page's console (once per document) into a buffer and
// takes the lines buffered so far back with its result: a page's lines from its
// first evaluate on are kept, up to its next navigation. Service workers' lines
// are not seen.
const HOOK = `if (!window.__swEngineLog) {
	const buffer = (window.__swEngineLog = []);
	const text = (v) => {
		if (typeof v === 'string') return v;
		if (v instanceof Error) return v.stack || String(v);
		try {
			return JSON.stringify(v) ?? String(v);
		} catch {
			return String(v);
		}
	};
	for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
		const original = console[level];
		console[level] = function (...args) {
			buffer.push(level + ': ' + args.map(text).join(' '));
			return original.apply(this, args);
		};
	}
	addEventListener('error', (e) => buffer.push('pageerror: ' + e.message));
	addEventListener('unhandledrejection', (e) => buffer.push('pageerror: ' + text(e.reason)));
}
const __swTakeLog = () => window.__swEngineLog.splice(0);`;

/**
 * The script run by POST /execute/async: WebDriver passes its callback as the last
 * argument. The value goes back as JSON text, so it arrives as page.evaluate's
 * would elsewhere (WebDriver would turn DOM nodes into element references and
 * undefined into null).
 * @param {Function | string} fn
 * @param {unknown[]} args
 */
function asyncScript(fn, args) {
	return `const __swDone = arguments[arguments.length - 1];
${HOOK}
(async () => (${callSource(fn, args)}))().then(
	(value) => {
		try {
			const json = JSON.stringify(value);
			__swDone({ json: json === undefined ? null : json, log: __swTakeLog() });
		} catch (e) {
			__swDone({ thrown: 'evaluate: the result is not JSON-able: ' + (e && e.message), log: __swTakeLog() });
		}
	},
	(e) => __swDone({ thrown: e instanceof Error ? e.message + (e.stack ? '\\n' + e.stack : '') : String(e), log: __swTakeLog() }),
);`;
}

/**
 * Launches MiniBrowser through WebKitWebDriver with a fresh, empty profile of its own.
 * @param {{ display?: string }} [options] `display`: an X display to use (like ':99') instead of a new Xvfb
 * @returns {Promise<EngineBrowser>}
 */
export async function launchWebKit(options = {}) {
	const binary = webkitPaths().miniBrowser;
	// MiniBrowser in --automation mode uses an ephemeral network session, but a
	// fresh HOME and XDG dirs also keep GTK, fontconfig and any stray WebKit data
	// out of the user's and other launches' way.
	const home = await mkdtemp(path.join(tmpdir(), 'sw-endpoints-webkit-'));
	/** @type {ChildProcess | undefined} */
	let xvfb;
	/** @type {ChildProcess | undefined} */
	let driver;
	/** @type {string | undefined} */
	let sessionId;
	/** @type {string} */
	let base = '';

	// If the test process ends without close(), leave no browser or X server behind
	// (Xvfb gets SIGTERM, so it removes its lock file and socket).
	const untrackThis = track(() => {
		if (driver?.pid) signalGroup(driver.pid, 'SIGKILL');
		if (xvfb?.pid) signalGroup(xvfb.pid, 'SIGTERM');
		// Dying processes may still write to the cache dir: wait a moment (synchronously, the process is ending).
		const until = Date.now() + 500;
		while (driver?.pid && groupMembers(driver.pid).some((m) => !m.zombie) && Date.now() < until);
		try {
			rmSync(home, { recursive: true, force: true });
		} catch {}
	});

	/** What the driver, MiniBrowser and its processes print (drained so they never block on a full pipe). */
	/** @type {string[]} */
	let output = [];

	/**
	 * One WebDriver command; rejects with WebDriver's error and message.
	 * @param {'GET' | 'POST' | 'DELETE'} method
	 * @param {string} route after /session/:id (or the whole path when no session yet)
	 * @param {unknown} [body]
	 * @param {number} [timeout]
	 */
	async function command(method, route, body, timeout = COMMAND_TIMEOUT) {
		const url = `${base}${sessionId ? `/session/${sessionId}` : ''}${route}`;
		const res = await fetch(url, {
			method,
			headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(timeout),
		});
		const text = await res.text();
		// WebDriver's JSON has no types to name here: each caller declares the value it expects.
		/** @type {any} */
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			throw new Error(`WebDriver ${method} ${route}: HTTP ${res.status} ${text.slice(0, 200)}`);
		}
		const value = json?.value;
		if (!res.ok || (value && typeof value === 'object' && 'error' in value)) {
			throw new Error(`WebDriver ${method} ${route}: ${value?.error ?? res.status}: ${value?.message ?? text.slice(0, 200)}`);
		}
		return value;
	}

	/** @type {Promise<void> | undefined} */
	let closing;
	// No DELETE /session first: see stopTree.
	async function close() {
		if (driver) await stopTree(driver, CLOSE_TIMEOUT - 1_000);
		if (xvfb) await stopXvfb(xvfb);
		await rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
		untrackThis();
	}

	let version = 'WebKitGTK';
	/** @type {string | undefined} */
	let initialWindow;
	try {
		/** @type {string} */
		let display;
		if (options.display) display = options.display;
		else {
			const started = await startXvfb();
			xvfb = started.proc;
			display = started.display;
		}
		const env = {
			...process.env,
			DISPLAY: display,
			// Not Wayland, even when the caller runs in a Wayland session.
			WAYLAND_DISPLAY: undefined,
			GDK_BACKEND: 'x11',
			HOME: home,
			XDG_DATA_HOME: path.join(home, 'data'),
			XDG_CACHE_HOME: path.join(home, 'cache'),
			XDG_CONFIG_HOME: path.join(home, 'config'),
			XDG_STATE_HOME: path.join(home, 'state'),
			// No accessibility bus to look for (else a warning and a delay per process).
			NO_AT_BRIDGE: '1',
			// Keeps the launch from talking to the user's session bus.
			DBUS_SESSION_BUS_ADDRESS: 'disabled:',
		};
		const started = await startDriver(env);
		driver = started.proc;
		base = started.base;
		output = started.output;

		const session = await command(
			'POST',
			'/session',
			{
				capabilities: {
					alwaysMatch: {
						'webkitgtk:browserOptions': {
							binary,
							args: ['--automation'],
						},
					},
				},
			},
			START_TIMEOUT * 2,
		);
		sessionId = /** @type {string} */ (session.sessionId);
		const caps = session.capabilities ?? {};
		version = `WebKitGTK ${caps.browserVersion ?? 'unknown'}`;
		await command('POST', '/timeouts', { script: 120_000, pageLoad: 60_000, implicit: 0 });
		initialWindow = await command('GET', '/window');
	} catch (error) {
		await close();
		// The driver's and browser's own output says why (a missing library, no display...).
		const tail = output.filter(Boolean).slice(-10).join('\n');
		throw tail && error instanceof Error ? new Error(`${error.message}\n${tail}`, { cause: error }) : error;
	}

	// WebDriver's commands act on the current window, so switching and the command
	// after it must not interleave with another page's: one command at a time.
	/** @type {Promise<unknown>} */
	let queue = Promise.resolve();
	/**
	 * @template T
	 * @param {() => Promise<T>} task
	 * @returns {Promise<T>}
	 */
	function serial(task) {
		const result = queue.then(task);
		queue = result.catch(() => {});
		return result;
	}

	/** The window the session's commands go to now (undefined after it closed). */
	/** @type {string | undefined} */
	let current = initialWindow;
	/** The initial window, until the first newPage() takes it. */
	/** @type {string | undefined} */
	let unused = initialWindow;
	/** Console lines taken back from pages so far. */
	/** @type {string[]} */
	const lines = [];
	/** Windows of pages not closed yet, for logs() to read what they buffered since. */
	/** @type {Set<string>} */
	const open = new Set();

	/**
	 * Runs a command in window `handle`, switching to it first when it is not current.
	 * @param {string} handle
	 * @param {'GET' | 'POST' | 'DELETE'} method
	 * @param {string} route
	 * @param {unknown} [body]
	 */
	function inWindow(handle, method, route, body) {
		return serial(async () => {
			if (current !== handle) {
				await command('POST', '/window', { handle });
				current = handle;
			}
			return command(method, route, body);
		});
	}

	/**
	 * A page bound to one window handle.
	 * @param {string} handle
	 * @returns {EnginePage}
	 */
	function pageFor(handle) {
		open.add(handle);
		/** @type {EnginePage} */
		const page = {
			goto: async (url) => void (await inWindow(handle, 'POST', '/url', { url })),
			async evaluate(fn, ...args) {
				// `thrown`, not `error`: a value with an `error` key reads as WebDriver's own failure.
				/** @type {{ json?: string | null, thrown?: string, log?: string[] }} */
				const result = await inWindow(handle, 'POST', '/execute/async', { script: asyncScript(fn, args), args: [] });
				if (Array.isArray(result?.log)) lines.push(...result.log);
				if (typeof result?.thrown === 'string') throw new Error(result.thrown);
				// null stands for undefined (or a function...), which JSON has no text for.
				return result?.json == null ? undefined : JSON.parse(result.json);
			},
			waitFor: (fn, options) => pollPage(page, fn, options),
			reload: async () => void (await inWindow(handle, 'POST', '/refresh', {})),
			url: () => inWindow(handle, 'GET', '/url'),
			async close() {
				if (!open.delete(handle)) return;
				await serial(async () => {
					if (current !== handle) await command('POST', '/window', { handle });
					current = handle;
					if (open.size || unused) {
						await command('DELETE', '/window');
						current = undefined;
					} else {
						// Closing the last window would end the session (and MiniBrowser):
						// blank it instead and hand it to the next newPage().
						await command('POST', '/url', { url: 'about:blank' });
						unused = handle;
					}
				});
			},
		};
		return page;
	}

	/** Takes the lines open pages buffered since their last evaluate. */
	async function drain() {
		for (const handle of open) {
			/** @type {unknown} */
			const taken = await inWindow(handle, 'POST', '/execute/sync', {
				script: 'return window.__swEngineLog ? window.__swEngineLog.splice(0) : [];',
				args: [],
			}).catch(() => []);
			if (Array.isArray(taken)) lines.push(...taken);
		}
	}

	return {
		name: 'webkit',
		version,
		async newPage() {
			if (unused) {
				const handle = unused;
				unused = undefined;
				return pageFor(handle);
			}
			// A window, not a tab: WebKitGTK 2.50's MiniBrowser shows one tab of a
			// window at a time, and the others turn document.visibilityState
			// 'hidden' (timers throttled, no animation frames) unlike other engines' pages.
			/** @type {{ handle: string }} */
			const created = await serial(() => command('POST', '/window/new', { type: 'window' }));
			return pageFor(created.handle);
		},
		// WebKitGTK 2.50 offers automation no way to stop a service worker.
		stopWorkers: undefined,
		async logs() {
			// A page stuck in a long script must not hold up a failure report.
			await within(drain(), 5_000);
			return [...lines];
		},
		close: () => (closing ??= close()),
	};
}
