// Request bounds (sw/core/limits.ts, config `limits`): 431 past the header bound as
// Node's http server answers, 413 past the body bound before a handler runs, with a
// console line; a declared length over the bound is refused unread, and a body
// without one is read only until it passes the bound. A request not answered in
// time is named once, then answered 504.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { resolveConfig } from '../../build/config.mjs';
import { build } from '../../build.mjs';
import { makeProject, recordingLogger } from './helpers.ts';

type Emulator = Awaited<ReturnType<typeof createEmulator>>;

const FILES = {
	// Counts the requests that reached it, and echoes the body's size.
	'src/pages/api/hang.ts': `export const GET = () => new Promise(() => {});\n`,
	'src/pages/api/slow.ts': `export const GET = () => new Promise((resolve) => setTimeout(() => resolve(new Response('late')), 150));\n`,
	'src/pages/api/echo.ts': `let calls = 0;
export const POST = async ({ request }) => Response.json({ calls: ++calls, bytes: (await request.arrayBuffer()).byteLength });
export const GET = () => Response.json({ calls });
`,
	// A body that sends one chunk and never ends, and one that ends after 100 ms; both set a cookie.
	'src/pages/api/stream.ts': `export const GET = ({ url, cookies }) => {
	cookies.set('seen', '1');
	const ends = url.searchParams.has('ends');
	return new Response(new ReadableStream({
		start(c) {
			c.enqueue(new TextEncoder().encode('first'));
			if (ends) setTimeout(() => c.close(), 100);
		},
	}), { headers: { 'content-type': 'text/plain' } });
};
`,
	'src/pages/api/[a]-[b]-[c].json.ts': `export const GET = ({ params }) => Response.json(params);\n`,
	'src/pages/api/store.ts': `export const POST = async ({ request, session }) => {
	session.set('data', await request.text());
	return new Response('stored');
};
export const GET = async ({ session }) => new Response((await session.get('data')) ?? '');
`,
};

const opened: Emulator[] = [];
afterEach(async () => {
	for (const e of opened.splice(0)) await e.close();
});

async function open(limits?: Record<string, number>) {
	const logger = recordingLogger();
	const e = await createEmulator({ root: makeProject(FILES), logger, freshModules: false, ...(limits ? { config: { limits } } : {}) });
	opened.push(e);
	return { e, logger };
}

/** Not a form's content type, so the origin check lets these server-side requests through. */
const BINARY = { 'content-type': 'application/octet-stream' };

const calls = async (e: Emulator) => (await (await e.fetch('/api/echo')).json()).calls;

describe('request bounds', () => {
	it('answers 431 past 16 KiB of request line and headers by default, as Node does, without running the handler', async () => {
		const { e, logger } = await open();
		const long = await e.fetch(`/api/echo?q=${'a'.repeat(17_000)}`, { method: 'POST', body: 'x', headers: BINARY });
		expect(long.status).toBe(431);
		const header = await e.fetch('/api/echo', { method: 'POST', body: 'x', headers: { ...BINARY, 'x-big': 'b'.repeat(17_000) } });
		expect(header.status).toBe(431);
		expect(await calls(e)).toBe(0);
		expect(logger.lines.warn.join('\n')).toMatch(/POST \/api\/echo: request line and headers of \d+ bytes, past limits\.headerSize \(16384\): answered 431/);
		// Just under the bound still reaches the handler.
		expect((await e.fetch(`/api/echo?q=${'a'.repeat(16_000)}`, { method: 'POST', body: 'x', headers: BINARY })).status).toBe(200);
	});

	it('answers 413 for a declared body over the bound without reading it', async () => {
		const { e, logger } = await open({ bodySize: 1000 });
		let pulled = 0;
		const endless = new ReadableStream<Uint8Array>({
			pull(controller) {
				pulled++;
				controller.enqueue(new Uint8Array(100));
			},
		});
		const response = await e.fetch('/api/echo', {
			method: 'POST',
			headers: { 'content-length': '5000' },
			body: endless,
			duplex: 'half',
		} as RequestInit);
		expect(response.status).toBe(413);
		expect(pulled).toBeLessThanOrEqual(1);
		expect(logger.lines.warn.join('\n')).toContain('a body of 5000 bytes, past limits.bodySize (1000): answered 413');
		expect(await calls(e)).toBe(0);
	});

	it('reads an undeclared body only until it passes the bound', async () => {
		const { e } = await open({ bodySize: 1000 });
		let pulled = 0;
		const endless = new ReadableStream<Uint8Array>({
			pull(controller) {
				pulled++;
				controller.enqueue(new Uint8Array(100));
			},
		});
		const response = await e.fetch('/api/echo', { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
		expect(response.status).toBe(413);
		expect(pulled).toBeLessThan(20);
		expect(await calls(e)).toBe(0);
	});

	it('hands a body within the bound to the handler whole', async () => {
		const { e } = await open({ bodySize: 1000 });
		const response = await e.fetch('/api/echo', { method: 'POST', body: new Uint8Array(1000), headers: BINARY });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ calls: 1, bytes: 1000 });
		expect((await e.fetch('/api/echo', { method: 'POST', body: new Uint8Array(1001), headers: BINARY })).status).toBe(413);
	});

	it('answers 504 naming the route and file when a handler never settles, after one line saying it is slow, and keeps serving', async () => {
		const { e, logger } = await open({ slowAfter: 50, timeout: 200 });
		const response = await e.fetch('/api/hang');
		expect(response.status).toBe(504);
		const text = 'GET http://localhost:4321/api/hang (route /api/hang, src/pages/api/hang.ts) did not answer within 200 ms (limits.timeout): answered 504';
		expect(await response.text()).toBe(`[sw-endpoints] ${text}`);
		expect(logger.lines.warn).toEqual([
			'[sw-endpoints] GET http://localhost:4321/api/hang (route /api/hang, src/pages/api/hang.ts) has not answered after 50 ms',
		]);
		expect(logger.lines.error).toEqual([`[sw-endpoints] ${text}`]);
		expect(await calls(e)).toBe(0);
	});

	it('bounds each of many requests in flight by its own start: requests answered meanwhile neither hasten nor delay it', async () => {
		const { e, logger } = await open({ slowAfter: 50, timeout: 200 });
		const started = (path: string) => {
			const at = Date.now();
			return e.fetch(path).then(async (response) => ({ status: response.status, after: Date.now() - at, text: await response.text() }));
		};
		const first = started('/api/hang');
		await new Promise((resolve) => setTimeout(resolve, 100));
		const second = started('/api/hang?second');
		const quick = await Promise.all(Array.from({ length: 20 }, () => e.fetch('/api/echo').then((r) => r.status)));
		const slow = await started('/api/slow');
		expect(quick).toEqual(Array(20).fill(200));
		expect(slow).toMatchObject({ status: 200, text: 'late' });
		const [a, b] = await Promise.all([first, second]);
		expect(a).toMatchObject({ status: 504 });
		expect(b).toMatchObject({ status: 504, text: expect.stringContaining('GET http://localhost:4321/api/hang?second (route /api/hang') });
		// Neither answered before its own timeout.
		expect(a.after).toBeGreaterThanOrEqual(199);
		expect(b.after).toBeGreaterThanOrEqual(199);
		expect(logger.lines.warn).toHaveLength(3);
		expect(logger.lines.error).toHaveLength(2);
		// The emulator keeps serving once nothing is in flight.
		expect((await e.fetch('/api/echo')).status).toBe(200);
	});

	it('lets a slow handler answer before the timeout, saying once that it is slow', async () => {
		const { e, logger } = await open({ slowAfter: 50, timeout: 2000 });
		const response = await e.fetch('/api/slow');
		expect(await response.text()).toBe('late');
		expect(logger.lines.warn).toHaveLength(1);
		expect(logger.lines.error).toEqual([]);
	});

	it('cuts a response body still streaming at the timeout, with a line naming the request, and keeps its status and cookies', async () => {
		const { e, logger } = await open({ slowAfter: 5000, timeout: 300 });
		const response = await e.fetch('/api/stream');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(response.headers.getSetCookie()).toEqual(['seen=1']);
		const read = await response.text().then(
			(text) => ({ text }),
			(error: Error) => ({ error: String(error.cause ?? error) }),
		);
		expect(read).toEqual({ error: expect.stringContaining('the response body did not end within 300 ms (limits.timeout): it was cut') });
		expect(logger.lines.error).toEqual([
			'[sw-endpoints] GET http://localhost:4321/api/stream (route /api/stream, src/pages/api/stream.ts): the response body did not end within 300 ms (limits.timeout): it was cut',
		]);
		// A body that ends in time arrives whole; the emulator keeps serving.
		expect(await (await e.fetch('/api/stream?ends')).text()).toBe('first');
		expect(await calls(e)).toBe(0);
		expect(logger.lines.error).toHaveLength(1);
	});

	it('writes no session past limits.sessionSize: a 500 naming the bound, and the stored session unchanged', async () => {
		const { e, logger } = await open({ sessionSize: 2000 });
		const small = await e.fetch('/api/store', { method: 'POST', body: 'é'.repeat(500), headers: BINARY });
		expect(small.status).toBe(200);
		const cookie = small.headers.getSetCookie()[0]!.split(';')[0]!;
		// 1,000 characters of 'é' are 2,000 bytes of UTF-8: with the rest of the stored form, past 2,000.
		const big = await e.fetch('/api/store', { method: 'POST', body: 'é'.repeat(1000), headers: { ...BINARY, cookie } });
		expect(big.status).toBe(500);
		expect(logger.lines.error.join('\n')).toMatch(
			/POST http:\/\/localhost:4321\/api\/store \(route \/api\/store, src\/pages\/api\/store\.ts\): the session could not be saved .* the session would be \d+ bytes stored, past limits\.sessionSize \(2000\): this request's changes were not written/,
		);
		expect(await (await e.fetch('/api/store', { headers: { cookie } })).text()).toBe('é'.repeat(500));
	});

	it('answers a long near-miss of a route with three params in a segment with a 404, without running its backtracking pattern', async () => {
		const { e } = await open();
		// Astro's pattern alone would take hours on this path (tests/unit/fuzz/router.property.test.ts); the build guards it.
		expect((await e.fetch(`/api/${'-'.repeat(16_000)}.jso`)).status).toBe(404);
		expect(await (await e.fetch('/api/x-y-z.json')).json()).toEqual({ a: 'x', b: 'y', c: 'z' });
	});

	it('takes bounds from the config, and refuses ones that are not byte counts', () => {
		const sessionSize = 1024 * 1024;
		expect(resolveConfig({}).limits).toEqual({ bodySize: 64 * 1024 * 1024, headerSize: 16 * 1024, sessionSize, timeout: 60_000 });
		expect(resolveConfig({ limits: { bodySize: 10 } }).limits).toEqual({ bodySize: 10, headerSize: 16 * 1024, sessionSize, timeout: 60_000 });
		expect(() => resolveConfig({ limits: { sessionSize: 1.5 } })).toThrow(/limits\.sessionSize must be a whole number of bytes above 0, got 1.5/);
		expect(() => resolveConfig({ limits: { timeout: 0 } })).toThrow(/limits\.timeout must be a whole number of ms above 0, got 0/);
		expect(() => resolveConfig({ limits: { bodySize: -1 } })).toThrow(/limits\.bodySize must be a whole number of bytes above 0, got -1/);
		expect(() => resolveConfig({ limits: { headerSize: '16kb' } })).toThrow(/limits\.headerSize/);
	});

	it('says a handler is slow after 10 s in development builds and Node mode, 30 s in production builds, unless set', async () => {
		const root = makeProject(FILES);
		const slowAfter = async (options: { dev?: boolean; config?: Record<string, unknown> }) => {
			const built = await build({ root, out: fs.mkdtempSync(path.join(os.tmpdir(), 'sw-limits-')), logger: null, minify: false, ...options });
			return Number(/"?slowAfter"?:\s*([\d.e+]+)/.exec(fs.readFileSync(built.worker, 'utf8'))?.[1]);
		};
		expect(await slowAfter({ dev: true })).toBe(10_000);
		expect(await slowAfter({})).toBe(30_000);
		expect(await slowAfter({ config: { limits: { slowAfter: 500 } } })).toBe(500);
	});
});
