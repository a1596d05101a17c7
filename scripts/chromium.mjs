// Where to find a Chromium for the browser tests, and how to launch it quietly.
import { existsSync } from 'node:fs';

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
