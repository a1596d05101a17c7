// Makes sure a Chromium is available before the browser tests run: system package first, Playwright's download as a fallback.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { findChromium } from './chromium.mjs';

/**
 * Runs a command with inherited output and reports whether it exited 0.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {boolean}
 */
function run(command, args, env = process.env) {
	console.error(`[ensure-chromium] ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env });
	if (result.error) {
		console.error(`[ensure-chromium] could not run ${command}: ${result.error.message}`);
		return false;
	}
	return result.status === 0;
}

/**
 * Tells whether an executable exists on PATH.
 * @param {string} name
 * @returns {boolean}
 */
function onPath(name) {
	const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
	return dirs.some((dir) => existsSync(resolve(dir, name)));
}

/**
 * Tells whether Playwright's own Chromium is already downloaded.
 * @returns {Promise<boolean>}
 */
async function playwrightChromiumPresent() {
	try {
		const { chromium } = await import('playwright');
		return existsSync(chromium.executablePath());
	} catch {
		return false;
	}
}

/**
 * Ensures a browser is present, installing Debian's chromium as root or Playwright's Chromium otherwise, and returns the system executable (undefined means Playwright's own).
 * @returns {Promise<string | undefined>}
 */
export async function ensureChromium() {
	let found = findChromium();
	if (found) return found;

	if (process.getuid?.() === 0 && onPath('apt-get')) {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		if (run('apt-get', ['update'], env) && run('apt-get', ['install', '-y', 'chromium'], env)) {
			found = findChromium();
			if (found) return found;
		}
		console.error('[ensure-chromium] apt-get could not provide chromium; trying Playwright\'s download');
	}

	if (await playwrightChromiumPresent()) return undefined;
	const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
	if (run(npx, ['playwright', 'install', 'chromium']) && (await playwrightChromiumPresent())) return undefined;

	throw new Error(
		'No Chromium found. Install chromium (e.g. `apt-get install chromium`), set CHROMIUM_PATH to a Chromium executable, or run `npx playwright install chromium`.',
	);
}

if (process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))) {
	try {
		await ensureChromium();
	} catch (error) {
		console.error(`[ensure-chromium] ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	}
}
