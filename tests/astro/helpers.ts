// What the Astro adapter's tests share: real Astro (Node 22 and Astro 7 from
// scripts/astro-toolchain.mjs, or a failure saying why they cannot be had), a
// site copied into a temp folder whose node_modules resolves Astro and this
// repository as `sw-endpoints`, and Astro's CLI run on it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAstro } from '../../scripts/astro-toolchain.mjs';

export const REPO = path.resolve(import.meta.dirname, '../..');

let toolchain: ReturnType<typeof ensureAstro> | undefined;

/** Node 22 and Astro 7, installed once; never skipped: without them the test fails saying what to do. */
export function astroToolchain() {
	if (toolchain) return toolchain;
	try {
		toolchain = ensureAstro();
	} catch (error) {
		throw new Error(
			`the Astro adapter's tests need Node 22.12+ and Astro 7 (scripts/astro-toolchain.mjs), which could not be had: ${(error as Error).message}. ` +
				'Run `node scripts/astro-toolchain.mjs` to see the failing step, or set SW_ENDPOINTS_NODE22 to a Node 22 executable',
			{ cause: error },
		);
	}
	return toolchain;
}

/**
 * Copies `from` (a site's files; node_modules, dist and .astro left out) into a temp folder, adds
 * `files` over it, and gives it a node_modules of links: every package of the toolchain, and this
 * repository as sw-endpoints. Returns the folder.
 */
export function makeSite(from: string | undefined, files: Record<string, string> = {}): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-astro-site-'));
	if (from) {
		fs.cpSync(from, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist|\.astro)$/.test(src) });
	}
	for (const [name, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
		fs.writeFileSync(path.join(dir, name), text);
	}
	const modules = path.join(astroToolchain().dir, 'node_modules');
	fs.mkdirSync(path.join(dir, 'node_modules'));
	for (const name of fs.readdirSync(modules)) {
		if (name.startsWith('.') || name === 'sw-endpoints') continue;
		fs.symlinkSync(path.join(modules, name), path.join(dir, 'node_modules', name));
	}
	fs.symlinkSync(REPO, path.join(dir, 'node_modules', 'sw-endpoints'));
	return dir;
}

/** The environment Astro runs in: this one without Vitest's (NODE_ENV=test and VITEST_* change how Astro's Vite behaves). */
function astroEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...extra };
	for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST') || key === 'TEST') delete env[key];
	return env;
}

/** Runs Astro's CLI in `site` with Node 22 and resolves with its exit code and output. */
export function astro(site: string, args: string[]): Promise<{ code: number | null; output: string }> {
	const { node } = astroToolchain();
	const child = spawn(node, [path.join(site, 'node_modules', 'astro', 'bin', 'astro.mjs'), ...args], {
		cwd: site,
		env: astroEnv(),
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** `astro build`, failing with Astro's output when it fails. */
export async function astroBuild(site: string): Promise<string> {
	const { code, output } = await astro(site, ['build']);
	if (code !== 0) throw new Error(`astro build failed (exit ${code}):\n${output}`);
	return output;
}

/**
 * Starts a long-running process with Node 22 (astro preview or dev, a built server) and
 * resolves once its output shows `ready`; `stop()` ends it.
 */
export function startServer(site: string, args: string[], ready: RegExp, env: Record<string, string> = {}) {
	const { node } = astroToolchain();
	const child: ChildProcess = spawn(node, args, { cwd: site, env: astroEnv(env) });
	let output = '';
	const started = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 60 s:\n${output}`)), 60_000);
		const seen = (d: Buffer) => {
			output += d;
			if (ready.test(output)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', seen);
		child.stderr!.on('data', seen);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
		});
	});
	return {
		started,
		output: () => output,
		/** Ends the process; resolves once it exited (its port is free again). */
		stop(): Promise<void> {
			if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			child.kill();
			return exited;
		},
	};
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
	const net = await import('node:net');
	return new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}
