// Where the browser tests find their engines: Chromium (and how to launch it
// quietly), Firefox, and WebKitGTK's WebDriver with its MiniBrowser and Xvfb.
// Each path can be set by an environment variable; Debian's paths otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns the Chromium executable to use (CHROMIUM_PATH, then Debian's paths), or undefined to use Playwright's own browser.
 * @returns {string | undefined}
 */
export function findChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv && existsSync(fromEnv)) return fromEnv;
	for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
		if (existsSync(candidate)) return candidate;
	}
	return undefined;
}

/**
 * Flags that keep Chromium quiet on a closed network and let it run as root.
 * @type {string[]}
 */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * Builds Playwright launch options for a headless Chromium, using the system executable when there is one.
 * @returns {import('playwright').LaunchOptions}
 */
export function launchOptions() {
	/** @type {import('playwright').LaunchOptions} */
	const options = { args: [...CHROMIUM_ARGS], headless: true };
	const executablePath = findChromium();
	if (executablePath) options.executablePath = executablePath;
	return options;
}

/**
 * The first path that exists: the environment variable's, then the candidates.
 * @param {string} variable
 * @param {string[]} candidates
 * @returns {string | undefined}
 */
function firstExisting(variable, candidates) {
	const fromEnv = process.env[variable];
	if (fromEnv && existsSync(fromEnv)) return fromEnv;
	return candidates.find((c) => existsSync(c));
}

/**
 * Firefox (Debian's firefox-esr): FIREFOX_PATH, then Debian's paths.
 * @returns {string | undefined}
 */
export function findFirefox() {
	return firstExisting('FIREFOX_PATH', ['/usr/bin/firefox-esr', '/usr/bin/firefox']);
}

/**
 * WebKitGTK's pieces (Debian's webkit2gtk-driver and xvfb): the WebDriver, the MiniBrowser it drives, and Xvfb.
 * @returns {{ driver: string | undefined, miniBrowser: string | undefined, xvfb: string | undefined }}
 */
export function findWebKit() {
	/** @type {string[]} */
	const miniBrowsers = [];
	for (const lib of ['/usr/lib', '/usr/libexec', '/usr/lib64']) {
		/** @type {string[]} */
		let entries = [];
		try {
			entries = readdirSync(lib);
		} catch {}
		// Debian puts it under /usr/lib/<multiarch>/webkit2gtk-4.1/, others straight under lib.
		for (const entry of ['.', ...entries]) {
			for (const api of ['webkit2gtk-4.1', 'webkitgtk-6.0', 'webkit2gtk-4.0']) miniBrowsers.push(join(lib, entry, api, 'MiniBrowser'));
		}
	}
	return {
		driver: firstExisting('WEBKIT_WEBDRIVER_PATH', ['/usr/bin/WebKitWebDriver', '/usr/libexec/WebKitWebDriver']),
		miniBrowser: firstExisting('MINIBROWSER_PATH', miniBrowsers),
		xvfb: firstExisting('XVFB_PATH', ['/usr/bin/Xvfb']),
	};
}

/**
 * The version of each engine found, as its binary (or Debian's package) reports it,
 * so a test run says which engines it ran; `undefined` where one is missing.
 * @returns {{ chromium?: string, firefox?: string, webkit?: string }}
 */
export function engineVersions() {
	/** @param {string | undefined} bin @param {string[]} args */
	const ask = (bin, args) => {
		if (!bin) return undefined;
		const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 });
		return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
	};
	const webkit = findWebKit().driver ? ask('dpkg-query', ['-W', '-f=${Version}', 'webkit2gtk-driver']) : undefined;
	return {
		chromium: ask(findChromium(), ['--version']),
		firefox: ask(findFirefox(), ['--version']),
		webkit: webkit ? `WebKitGTK ${webkit}` : undefined,
	};
}
