// Makes sure the browser engines of the tests are here before they run:
// Chromium, Firefox (Debian's firefox-esr) and WebKitGTK (Debian's
// webkit2gtk-driver with its MiniBrowser, under Xvfb). As root with apt, missing
// packages are installed (after `apt-get update`: a fresh machine's package list
// can be old); otherwise the run stops with the package to install. Chromium
// falls back to Playwright's own download on a user's machine.
//
//   node scripts/ensure-browsers.mjs [chromium,firefox,webkit]   (default: SW_ENGINES, else all three)
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { findChromium, findFirefox, findWebKit } from './browsers.mjs';

/** @typedef {'chromium' | 'firefox' | 'webkit'} EngineName */

/**
 * What each engine needs, how to tell it is here, and the Debian packages that bring it.
 * @type {Record<EngineName, { present: () => boolean, packages: string[], hint: string }>}
 */
const ENGINES = {
	chromium: {
		present: () => findChromium() !== undefined,
		packages: ['chromium'],
		hint: 'set CHROMIUM_PATH to a Chromium executable, or run `npx playwright install chromium`',
	},
	firefox: {
		present: () => findFirefox() !== undefined,
		packages: ['firefox-esr'],
		hint: 'set FIREFOX_PATH to a Firefox executable (Firefox 128 ESR or later, for WebDriver BiDi)',
	},
	webkit: {
		present: () => Object.values(findWebKit()).every(Boolean),
		packages: ['webkit2gtk-driver', 'xvfb'],
		hint: "set WEBKIT_WEBDRIVER_PATH, MINIBROWSER_PATH and XVFB_PATH to WebKitGTK's WebKitWebDriver, its MiniBrowser and an Xvfb",
	},
};

/**
 * Runs a command with inherited output and reports whether it exited 0.
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
	console.error(`[ensure-browsers] ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	if (result.error) console.error(`[ensure-browsers] could not run ${command}: ${result.error.message}`);
	return result.status === 0;
}

/** @param {string} name */
function onPath(name) {
	return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(resolve(dir, name)));
}

/** Whether Playwright's own Chromium is downloaded (a user's machine). */
async function playwrightChromiumPresent() {
	try {
		const { chromium } = await import('playwright');
		return existsSync(chromium.executablePath());
	} catch {
		return false;
	}
}

/**
 * Ensures every engine of `names` is present; throws naming the packages of those that cannot be had.
 * @param {EngineName[]} names
 */
export async function ensureBrowsers(names) {
	const missing = names.filter((n) => !ENGINES[n].present());
	// Chromium from Playwright's download counts where it is already there.
	if (missing.includes('chromium') && (await playwrightChromiumPresent())) missing.splice(missing.indexOf('chromium'), 1);
	if (!missing.length) return;
	const packages = missing.flatMap((n) => ENGINES[n].packages);
	// As root with apt: the list first (an old one offers old browsers), then the packages with their recommends (fonts, GL).
	if (process.getuid?.() === 0 && onPath('apt-get')) void (run('apt-get', ['update']) && run('apt-get', ['install', '-y', ...packages]));
	let still = missing.filter((n) => !ENGINES[n].present());
	if (still.includes('chromium')) {
		const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
		if ((await playwrightChromiumPresent()) || (run(npx, ['playwright', 'install', 'chromium']) && (await playwrightChromiumPresent()))) {
			still = still.filter((n) => n !== 'chromium');
		}
	}
	if (still.length) {
		throw new Error(
			still
				.map(
					(n) =>
						`${n} is not installed: install Debian's ${ENGINES[n].packages.join(' and ')} (as root: apt-get update && apt-get install -y ${ENGINES[n].packages.join(' ')}), or ${ENGINES[n].hint}`,
				)
				.join('\n'),
		);
	}
}

/** The engines asked for on the command line, else SW_ENGINES, else all three. */
function requested() {
	const list = (process.argv[2] ?? process.env.SW_ENGINES ?? 'chromium,firefox,webkit')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const unknown = list.filter((n) => !(n in ENGINES));
	if (unknown.length) throw new Error(`unknown engine ${unknown.join(', ')}: use chromium, firefox, webkit`);
	return /** @type {EngineName[]} */ (list);
}

if (process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))) {
	try {
		await ensureBrowsers(requested());
	} catch (error) {
		console.error(`[ensure-browsers] ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	}
}
