// Firefox through puppeteer-core over WebDriver BiDi: stock Firefox ESR (Debian's
// firefox-esr), which Playwright cannot drive (it needs its own patched build).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { findFirefox } from '../../scripts/browsers.mjs';
import { callSource, pollPage } from './index.mjs';

/** @typedef {import('./index.mjs').EngineBrowser} EngineBrowser */
/** @typedef {import('./index.mjs').EnginePage} EnginePage */

/** The Firefox to run: $FIREFOX_PATH, else the first Debian install found. */
function firefoxPath() {
	const found = findFirefox();
	if (!found) throw new Error('no Firefox found: install firefox-esr or set FIREFOX_PATH');
	return found;
}

// Written to the fresh profile's user.js, on top of puppeteer's defaults and the
// remote agent's "recommended" prefs (which already turn off most background traffic;
// these also hold during the startup before the agent applies its own).
/** @type {Record<string, string | number | boolean>} */
const PREFS = {
	// Service workers: on by default, stated so a distribution policy cannot surprise us.
	// 127.0.0.1 and localhost are secure contexts in Firefox, so
	// dom.serviceWorkers.testing.enabled (which allows plain-http origins) is not needed.
	'dom.serviceWorkers.enabled': true,
	// A closed network: nothing should try to reach the internet.
	'app.update.auto': false,
	'app.update.enabled': false,
	'app.normandy.enabled': false,
	'app.shield.optoutstudies.enabled': false,
	// Else Nimbus logs a failed fetch of experiments at every start.
	'nimbus.rollouts.enabled': false,
	'browser.aboutwelcome.enabled': false,
	'browser.newtabpage.activity-stream.feeds.section.topstories': false,
	'browser.newtabpage.activity-stream.feeds.snippets': false,
	'browser.ping-centre.telemetry': false,
	'browser.safebrowsing.provider.google.updateURL': '',
	'browser.safebrowsing.provider.google4.updateURL': '',
	'browser.safebrowsing.provider.mozilla.updateURL': '',
	'browser.search.geoip.url': '',
	'browser.region.network.url': '',
	'browser.region.update.enabled': false,
	'captivedetect.canonicalURL': '',
	'network.captive-portal-service.enabled': false,
	'network.connectivity-service.enabled': false,
	'network.dns.disablePrefetch': true,
	'network.prefetch-next': false,
	'network.predictor.enabled': false,
	'network.http.speculative-parallel-limit': 0,
	'network.trr.mode': 5,
	'dom.push.connection.enabled': false,
	'extensions.blocklist.enabled': false,
	'extensions.systemAddon.update.enabled': false,
	'services.settings.server': 'data:,#remote-settings-dummy/v1',
	'security.OCSP.enabled': 0,
	'security.remote_settings.crlite_filters.enabled': false,
	'security.remote_settings.intermediates.enabled': false,
	'toolkit.telemetry.enabled': false,
	'toolkit.telemetry.unified': false,
	'toolkit.telemetry.archive.enabled': false,
	'toolkit.telemetry.server': 'data:,',
	'datareporting.policy.dataSubmissionEnabled': false,
	'datareporting.healthreport.uploadEnabled': false,
	'browser.shell.checkDefaultBrowser': false,
	'browser.startup.page': 0,
	'browser.sessionstore.resume_from_crash': false,
};

// Stopping workers. WebDriver BiDi has no command for it (Chromium's CDP
// ServiceWorker.stopAllWorkers has no counterpart), but Firefox 153 ESR started
// with --remote-allow-system-access lets a BiDi session list the browser's own
// chrome window (browsingContext.getTree with "moz:scope": "chrome") and evaluate
// script there, with Cc/Ci: the service worker manager lists every registration
// and nsIServiceWorkerInfo.terminateWorker() stops one at once (~10 ms). The next
// event boots a fresh worker (its globals start over); registrations, Cache Storage
// and IndexedDB stay.
/**
 * Runs in the privileged browser window: stops every running service worker.
 * `Cc`/`Ci` are globals of that window, not of pages.
 */
const STOP_WORKERS = `(async () => {
	const manager = Cc['@mozilla.org/serviceworkers/manager;1'].getService(Ci.nsIServiceWorkerManager);
	const registrations = manager.getAllRegistrations();
	const stops = [];
	for (let i = 0; i < registrations.length; i++) {
		const registration = registrations.queryElementAt(i, Ci.nsIServiceWorkerRegistrationInfo);
		for (const worker of [registration.installingWorker, registration.waitingWorker, registration.activeWorker]) {
			if (worker) stops.push(worker.terminateWorker());
		}
	}
	await Promise.all(stops);
	return stops.length;
})()`;

// The idle timer, for what a real browser does on its own: a service worker is
// terminated `dom.serviceWorkers.idle_timeout` ms (default 30000) after its last
// event started, and when an event is still in flight then, Firefox waits up to
// `dom.serviceWorkers.idle_extended_timeout` ms more (default 30000) and kills it
// (the page's fetch fails with a NetworkError). `shortIdle` stops idle workers
// after ~1 s and keeps the grace for slow events at 30 s. Firefox 153 ESR quirk:
// once the idle timeout has passed during a slow event, the worker is stopped as
// soon as that event ends, so with `shortIdle` any request over ~1 s also ends
// its worker.
const SHORT_IDLE_PREFS = {
	'dom.serviceWorkers.idle_timeout': 1000,
	'dom.serviceWorkers.idle_extended_timeout': 30000,
};

/** How long `close()` waits for a clean shutdown before killing the process. */
const CLOSE_TIMEOUT = 5_000;

/**
 * "Firefox 153.8.0esr": `firefox --version` (some 50 ms) has the "esr" suffix
 * that Firefox 153 ESR leaves out of WebDriver BiDi's browserVersion.
 * @param {string} executable
 * @returns {Promise<string | undefined>}
 */
function versionOf(executable) {
	return new Promise((resolve) => {
		execFile(executable, ['--version'], { timeout: 10_000 }, (error, stdout) => {
			const match = /Firefox\s+(\S+)/.exec(String(stdout));
			resolve(!error && match ? `Firefox ${match[1]}` : undefined);
		});
	});
}

/**
 * Kills the browser and the processes it started: puppeteer spawns it detached,
 * so it leads a process group of its own.
 * @param {import('node:child_process').ChildProcess} proc
 */
async function kill(proc) {
	if (proc.exitCode !== null || proc.signalCode !== null) return;
	const exited = new Promise((resolve) => proc.once('exit', resolve));
	try {
		if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
	} catch {
		proc.kill('SIGKILL');
	}
	await exited;
}

/**
 * Launches Firefox with a fresh, empty profile of its own.
 * @param {{ shortIdle?: boolean, prefs?: Record<string, string | number | boolean> }} [options] `shortIdle`: service workers stop after ~1 s idle instead of 30 s (see SHORT_IDLE_PREFS); `prefs`: more prefs for the profile, applied last (the benchmark turns off privacy.reduceTimerPrecision with it)
 * @returns {Promise<EngineBrowser>}
 */
export async function launchFirefox(options = {}) {
	const executable = firefoxPath();
	const versionText = versionOf(executable);
	const profile = await mkdtemp(path.join(tmpdir(), 'sw-endpoints-firefox-'));
	/** @type {import('puppeteer-core').Browser} */
	let browser;
	try {
		browser = await puppeteer.launch({
			browser: 'firefox',
			executablePath: executable,
			headless: true,
			protocol: 'webDriverBiDi',
			userDataDir: profile,
			// Opens the browser's own window to script.evaluate, for stopWorkers().
			args: ['--remote-allow-system-access'],
			extraPrefsFirefox: { ...PREFS, ...(options.shortIdle ? SHORT_IDLE_PREFS : {}), ...options.prefs },
			// No crash reporter dialog, no safe-mode prompt after a killed run.
			env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1' },
			timeout: 60_000,
		});
	} catch (error) {
		await rm(profile, { recursive: true, force: true, maxRetries: 3 });
		throw error;
	}
	const b = browser;
	// Fallback "firefox/153.8.0" from BiDi when --version says nothing useful.
	const version = (await versionText) ?? `Firefox ${(await b.version()).split('/').pop()}`;
	// The default user context: its tabs share cookies, storage and registrations.
	const context = b.defaultBrowserContext();
	// puppeteer's BiDi connection, for the two commands it has no API for.
	const bidi = /** @type {{ send(method: string, params: object): Promise<{ result: any }> }} */ (/** @type {any} */ (b).connection);

	/** @type {string[]} */
	const lines = [];

	/** @type {Promise<void> | undefined} */
	let closing;
	async function close() {
		const proc = b.process();
		/** @type {ReturnType<typeof setTimeout> | undefined} */
		let timer;
		const timedOut = new Promise((resolve) => {
			timer = setTimeout(resolve, CLOSE_TIMEOUT, 'timeout');
		});
		const result = await Promise.race([
			b.close().then(
				() => 'closed',
				() => 'failed',
			),
			timedOut,
		]);
		clearTimeout(timer);
		if (proc && result !== 'closed') await kill(proc);
		// Firefox may still be writing its last files for a moment after exit.
		await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	}

	return {
		name: 'firefox',
		version,
		async newPage() {
			const page = await context.newPage();
			// Firefox 153 ESR reports uncaught errors some 0.3-1 s after they happen.
			page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
			page.on('pageerror', (e) => lines.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
			/** @type {EnginePage} */
			const wrapped = {
				goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
				// A string is sent as an expression: puppeteer awaits a promise it evaluates to.
				evaluate: (fn, ...args) => page.evaluate(callSource(fn, args)),
				waitFor: (fn, options) => pollPage(wrapped, fn, options),
				reload: async () => void (await page.reload({ waitUntil: 'load' })),
				url: async () => page.url(),
				close: () => page.close(),
			};
			return wrapped;
		},
		async stopWorkers() {
			const tree = await bidi.send('browsingContext.getTree', { maxDepth: 0, 'moz:scope': 'chrome' });
			/** @type {{ context: string, url: string }[]} */
			const windows = tree.result.contexts;
			const browserWindow = windows.find((c) => c.url.startsWith('chrome://browser/'));
			if (!browserWindow) throw new Error('stopWorkers: no Firefox browser window to run in');
			const target = { context: browserWindow.context };
			const { result } = await bidi.send('script.evaluate', { expression: STOP_WORKERS, target, awaitPromise: true });
			if (result.type === 'exception') throw new Error(`stopWorkers: ${result.exceptionDetails?.text ?? 'failed'}`);
		},
		logs: async () => [...lines],
		close: () => (closing ??= close()),
	};
}
