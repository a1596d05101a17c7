// The APIContext, dispatch, origin check, cookies and config redirects, through
// createEmulator on small temp projects (tests/conformance/spec.md §2, §3, §4, §5, §7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../sw/node/emulator.mjs';
import { makeProject, recordingLogger, type ProjectFiles } from './helpers.ts';

type Emulator = Awaited<ReturnType<typeof createEmulator>>;

/** Every endpoint that needs the context answers with this summary of it. */
const ECHO = `
export function echo(ctx) {
	let clientAddress;
	try { clientAddress = ctx.clientAddress; } catch (e) { clientAddress = 'threw ' + (e.code ?? e.name); }
	return Response.json({
		keys: Object.keys(ctx).sort(),
		params: ctx.params,
		url: ctx.url.href,
		urlIsURL: ctx.url instanceof URL,
		requestUrl: ctx.request.url,
		site: ctx.site === undefined ? 'undefined' : ctx.site.href,
		siteIsURL: ctx.site instanceof URL,
		generator: ctx.generator,
		routePattern: ctx.routePattern,
		originPathname: ctx.originPathname,
		clientAddress,
		isPrerendered: ctx.isPrerendered,
		props: ctx.props,
		method: ctx.request.method,
	});
}
`;

const PROJECT: ProjectFiles = {
	'src/lib/echo.ts': ECHO,
	'src/pages/index.ts': `import { echo } from '../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/posts/[id].ts': `import { echo } from '../../../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/posts/index.ts': `import { echo } from '../../../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/data.json.ts': `import { echo } from '../../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/catch/[...all].ts': `import { echo } from '../../../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/docs/[lang]-[version].ts': `import { echo } from '../../../lib/echo';\nexport const GET = echo;\n`,
	'src/pages/api/locals.ts': `
export const GET = (ctx) => {
	let reassign = 'no error';
	try { ctx.locals = { replaced: true }; } catch (e) { reassign = e.code ?? e.name; }
	ctx.locals.mutated = 'yes';
	return Response.json({ reassign, locals: ctx.locals });
};
`,
	'src/pages/api/go.ts': `
export const GET = (ctx) => {
	const to = ctx.url.searchParams.get('to');
	const status = ctx.url.searchParams.get('status');
	return status ? ctx.redirect(to, Number(status)) : ctx.redirect(to);
};
export const POST = GET;
export const HEAD = GET;
`,
	'src/pages/api/get-only.ts': `
export const GET = () => new Response('get body', { status: 201, statusText: 'Made', headers: { 'x-handler': 'GET', 'content-type': 'text/x-custom' } });
`,
	'src/pages/api/get-and-all.ts': `
export const GET = () => new Response('get', { headers: { 'x-handler': 'GET' } });
export const ALL = ({ request }) => new Response('all ' + request.method, { headers: { 'x-handler': 'ALL' } });
`,
	'src/pages/api/explicit-head.ts': `
export const GET = () => new Response('get');
export const HEAD = () => new Response('head body', { status: 203, headers: { 'x-handler': 'HEAD' } });
`,
	'src/pages/api/lowercase.ts': `
export const get = () => new Response('legacy');
export const all = () => new Response('legacy all');
`,
	'src/pages/api/throw.ts': `
export const GET = (ctx) => {
	ctx.cookies.set('lost', '1');
	throw new Error('boom');
};
export const POST = async () => { throw new Error('async boom'); };
`,
	'src/pages/api/not-response.ts': `export const GET = () => 'a string';\n`,
	'src/pages/api/form.ts': `
export const POST = async ({ request }) => new Response('posted ' + (await request.text()));
export const PUT = () => new Response('put');
export const DELETE = () => new Response('deleted');
`,
	'src/pages/api/cookies.ts': `
export const GET = (ctx) => {
	ctx.cookies.set('c', 'v', { path: '/' });
	return new Response('ok', { headers: { 'set-cookie': 'a=1' } });
};
`,
	'src/pages/api/manual-cookie.ts': `
export const GET = () => new Response('manual', { headers: { 'set-cookie': 'a=1' } });
`,
	'src/pages/api/astro-cookies.ts': `
export const GET = (ctx) => {
	ctx.cookies.set('one', '1');
	ctx.cookies.set('two', 'x y', { httpOnly: true });
	ctx.cookies.delete('gone', { path: '/' });
	return new Response(String(ctx.cookies.get('incoming')?.value));
};
`,
	'src/pages/api/redirect-cookie.ts': `
export const GET = (ctx) => {
	ctx.cookies.set('r', '1');
	return ctx.redirect('/elsewhere');
};
`,
};

let emulator: Emulator;
const logger = recordingLogger();

beforeAll(async () => {
	emulator = await createEmulator({ root: makeProject(PROJECT), logger });
});
afterAll(async () => {
	await emulator?.close();
});

const json = async (res: Response) => {
	expect(res.headers.get('content-type')).toBe('application/json');
	return res.json();
};

/** A throwaway emulator for `files` with `config`. */
async function withEmulator<T>(files: ProjectFiles, config: Record<string, unknown>, fn: (e: Emulator) => Promise<T>): Promise<T> {
	const e = await createEmulator({ root: makeProject(files), config, logger: recordingLogger() });
	try {
		return await fn(e);
	} finally {
		await e.close();
	}
}

describe('APIContext', () => {
	it('has exactly the enumerable keys of Astro 7.3.5', async () => {
		const ctx = await json(await emulator.fetch('/api/posts/1'));
		expect(ctx.keys).toEqual(
			[
				'cache',
				'callAction',
				'clientAddress',
				'cookies',
				'csp',
				'currentLocale',
				'generator',
				'getActionResult',
				'isPrerendered',
				'locals',
				'logger',
				'originPathname',
				'params',
				'preferredLocale',
				'preferredLocaleList',
				'props',
				'redirect',
				'request',
				'rewrite',
				'routePattern',
				'session',
				'site',
				'url',
			].sort(),
		);
	});

	it('fixed fields: generator, clientAddress, site, props, isPrerendered', async () => {
		const ctx = await json(await emulator.fetch('/api/posts/1'));
		expect(ctx.generator).toBe('Astro v7.3.5');
		expect(ctx.clientAddress).toBe('127.0.0.1');
		expect(ctx.site).toBe('undefined');
		expect(ctx.siteIsURL).toBe(false);
		expect(ctx.urlIsURL).toBe(true);
		expect(ctx.props).toEqual({});
		expect(ctx.isPrerendered).toBe(false);
		expect(ctx.method).toBe('GET');
	});

	it.each<[string, string, Record<string, string | null>, string, string]>([
		// path, routePattern, params, ctx.url pathname+search, originPathname
		['/api/posts/42', '/api/posts/[id]', { id: '42' }, '/api/posts/42', '/api/posts/42/'],
		['/api/posts/42/', '/api/posts/[id]', { id: '42' }, '/api/posts/42/', '/api/posts/42/'],
		['/api/posts/42?q=1%202&r', '/api/posts/[id]', { id: '42' }, '/api/posts/42?q=1%202&r', '/api/posts/42/'],
		['/api/posts/hello%20world', '/api/posts/[id]', { id: 'hello world' }, '/api/posts/hello%20world', '/api/posts/hello world/'],
		['/api/posts/caf%C3%A9', '/api/posts/[id]', { id: 'café' }, '/api/posts/caf%C3%A9', '/api/posts/café/'],
		['/api/posts/a%2Fb', '/api/posts/[id]', { id: 'a%2Fb' }, '/api/posts/a%2Fb', '/api/posts/a%2Fb/'],
		['/api/posts/%2561', '/api/posts/[id]', { id: 'a' }, '/api/posts/a', '/api/posts/a/'],
		['/api/posts/100%25', '/api/posts/[id]', { id: '100%' }, '/api/posts/100%', '/api/posts/100%/'],
		['/api/posts/%E0%A4%A', '/api/posts/[id]', { id: '%E0%A4%A' }, '/api/posts/%E0%A4%A', '/api/posts/%E0%A4%A/'],
		['/api//posts/7', '/api/posts/[id]', { id: '7' }, '/api/posts/7', '/api/posts/7/'],
		['//api/posts/7', '/api/posts/[id]', { id: '7' }, '/api/posts/7', '/api/posts/7/'],
		['/api/posts', '/api/posts', {}, '/api/posts', '/api/posts/'],
		['/api/data.json', '/api/data.json', {}, '/api/data.json', '/api/data.json/'],
		['/', '/', {}, '/', '/'],
		['/api/catch', '/api/catch/[...all]', {}, '/api/catch', '/api/catch/'],
		['/api/catch/x/y', '/api/catch/[...all]', { all: 'x/y' }, '/api/catch/x/y', '/api/catch/x/y/'],
		['/api/docs/en-us-v2', '/api/docs/[lang]-[version]', { lang: 'en', version: 'us-v2' }, '/api/docs/en-us-v2', '/api/docs/en-us-v2/'],
	])('%s', async (path, routePattern, params, urlPath, originPathname) => {
		// Absolute, so that `//api/...` is a path and not a protocol-relative URL.
		const raw = `${emulator.origin}${path}`;
		const res = await emulator.fetch(raw);
		expect(res.status).toBe(200);
		const ctx = await json(res);
		expect(ctx.routePattern).toBe(routePattern);
		// JSON drops undefined: an empty rest param has no value.
		expect(ctx.params).toEqual(params);
		expect(ctx.url).toBe(`${emulator.origin}${urlPath}`);
		expect(ctx.requestUrl).toBe(raw);
		expect(ctx.originPathname).toBe(originPathname);
	});

	it('over-encoded paths are a 400 with an empty body', async () => {
		const res = await emulator.fetch(`/api/posts/%${'25'.repeat(10)}61`);
		expect(res.status).toBe(400);
		expect(await res.text()).toBe('');
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['never', { trailingSlash: 'never' }, '/api/posts/42', '/api/posts/42'],
		['always', { trailingSlash: 'always' }, '/api/posts/42/', '/api/posts/42/'],
		['ignore + build.format file', { build: { format: 'file' } }, '/api/posts/42', '/api/posts/42'],
		['ignore + build.format file, slash kept', { build: { format: 'file' } }, '/api/posts/42/', '/api/posts/42/'],
	])('originPathname with %s', async (_name, config, path, expected) => {
		await withEmulator(PROJECT, config, async (e) => {
			const ctx = await json(await e.fetch(path));
			expect(ctx.originPathname).toBe(expected);
		});
	});

	it.each<[string, string, string, number, string]>([
		// trailing-slash redirects: 301 for GET, 308 for every other method; the query is kept
		['never', 'GET', '/api/posts/42/?q=1', 301, '/api/posts/42?q=1'],
		['never', 'HEAD', '/api/posts/42/', 308, '/api/posts/42'],
		['never', 'POST', '/api/posts/42/', 308, '/api/posts/42'],
		['always', 'GET', '/api/posts/42?q=1', 301, '/api/posts/42/?q=1'],
		['ignore', 'GET', '/api/posts/42//?q=1', 301, '/api/posts/42/?q=1'],
		['ignore', 'DELETE', '/api/posts/42///', 308, '/api/posts/42/'],
	])('trailingSlash %s: %s %s → %i %s', async (trailingSlash, method, path, status, location) => {
		await withEmulator(PROJECT, { trailingSlash }, async (e) => {
			const res = await e.fetch(path, { method });
			expect(res.status).toBe(status);
			expect(res.headers.get('location')).toBe(location);
			expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
		});
	});

	it('trailingSlash always: a file-extension path is not redirected and does not match [id]', async () => {
		await withEmulator(PROJECT, { trailingSlash: 'always' }, async (e) => {
			expect((await e.fetch('/api/posts/v1.2')).status).toBe(404);
			expect((await e.fetch('/api/data.json')).status).toBe(200);
			expect((await e.fetch('/api/data.json/')).status).toBe(404);
		});
	});

	it('site is a URL when configured; clientAddress comes from the emulator options', async () => {
		await withEmulator(PROJECT, { site: 'https://example.com' }, async (e) => {
			const ctx = await json(await e.fetch('/api/posts/1'));
			expect(ctx.site).toBe('https://example.com/');
			expect(ctx.siteIsURL).toBe(true);
		});
		const e = await createEmulator({ root: makeProject(PROJECT), clientAddress: '10.1.2.3', logger: recordingLogger() });
		try {
			expect((await json(await e.fetch('/api/posts/1'))).clientAddress).toBe('10.1.2.3');
		} finally {
			await e.close();
		}
	});

	it('locals can be mutated but reassigning throws LocalsReassigned', async () => {
		const body = await json(await emulator.fetch('/api/locals'));
		expect(body).toEqual({ reassign: 'LocalsReassigned', locals: { mutated: 'yes' } });
	});
});

describe('context.redirect()', () => {
	it.each<[string, string, number, string]>([
		['GET', '?to=/new', 302, '/new'],
		['GET', '?to=/new&status=301', 301, '/new'],
		['GET', '?to=/new&status=307', 307, '/new'],
		['GET', `?to=${encodeURIComponent('../x?y=1')}`, 302, '../x?y=1'],
		['GET', `?to=${encodeURIComponent('https://other.example/p')}`, 302, 'https://other.example/p'],
		['GET', `?to=${encodeURIComponent('/with space/ü')}`, 302, '/with space/ü'],
		['POST', '?to=/new', 302, '/new'],
		['HEAD', '?to=/new&status=308', 308, '/new'],
	])('%s %s → %i %s', async (method, query, status, location) => {
		const init: RequestInit = { method };
		if (method === 'POST') init.headers = { origin: emulator.origin, 'content-type': 'application/json' };
		const res = await emulator.fetch(`/api/go${query}`, init);
		expect(res.status).toBe(status);
		expect(res.headers.get('location')).toBe(location);
		expect(await res.text()).toBe('');
	});

	it('an invalid status → 500', async () => {
		const res = await emulator.fetch('/api/go?to=/x&status=99');
		expect(res.status).toBe(500);
	});
});

describe('method dispatch', () => {
	const same = { origin: 'http://localhost:4321' };

	it('GET is answered by GET', async () => {
		const res = await emulator.fetch('/api/get-only');
		expect(res.status).toBe(201);
		expect(res.statusText).toBe('Made');
		expect(res.headers.get('x-handler')).toBe('GET');
		expect(await res.text()).toBe('get body');
	});

	it('HEAD falls back to GET: status, statusText and headers kept, body dropped', async () => {
		const res = await emulator.fetch('/api/get-only', { method: 'HEAD' });
		expect(res.status).toBe(201);
		expect(res.statusText).toBe('Made');
		expect(res.headers.get('x-handler')).toBe('GET');
		expect(res.headers.get('content-type')).toBe('text/x-custom');
		expect(await res.text()).toBe('');
	});

	it('an explicit HEAD export wins, and its body is dropped too', async () => {
		const res = await emulator.fetch('/api/explicit-head', { method: 'HEAD' });
		expect(res.status).toBe(203);
		expect(res.headers.get('x-handler')).toBe('HEAD');
		expect(await res.text()).toBe('');
	});

	it.each<[string, string, string]>([
		['GET', 'GET', 'get'],
		['HEAD', 'ALL', ''],
		['PUT', 'ALL', 'all PUT'],
		['OPTIONS', 'ALL', 'all OPTIONS'],
		['PATCH', 'ALL', 'all PATCH'],
		['PROPFIND', 'ALL', 'all PROPFIND'],
	])('with GET + ALL, %s is handled by %s', async (method, handler, body) => {
		const res = await emulator.fetch('/api/get-and-all', { method, headers: same });
		expect(res.status).toBe(200);
		expect(res.headers.get('x-handler')).toBe(handler);
		expect(await res.text()).toBe(body);
	});

	it.each<[string, string]>([
		['POST', '/api/get-only'],
		['PUT', '/api/get-only'],
		['DELETE', '/api/get-only'],
		['OPTIONS', '/api/get-only'],
		['GET', '/api/lowercase'],
		['GET', '/api/form'],
		['GET', '/api/nothing-here'],
		['GET', '/api/posts/1/2/3'],
	])('%s %s → the 404 page', async (method, path) => {
		const res = await emulator.fetch(path, { method, headers: same });
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).toBe('text/html');
		expect(res.headers.get('allow')).toBeNull();
		expect(await res.text()).toContain('<title>404: Not Found</title>');
	});

	it('HEAD of an unmatched method → 404 without a body', async () => {
		const res = await emulator.fetch('/api/form', { method: 'HEAD' });
		expect(res.status).toBe(404);
	});
});

describe('errors', () => {
	it.each<[string, string]>([
		['GET', '/api/throw'],
		['HEAD', '/api/throw'],
		['POST', '/api/throw'],
		['GET', '/api/not-response'],
	])('%s %s → empty 500, then the next request succeeds', async (method, path) => {
		const before = logger.lines.error.length;
		const res = await emulator.fetch(path, { method, headers: { origin: emulator.origin } });
		expect(res.status).toBe(500);
		expect(res.headers.get('content-type')).toBeNull();
		expect(await res.text()).toBe('');
		expect(emulator.setCookies(res)).toEqual([]);
		expect(logger.lines.error.length).toBeGreaterThan(before);

		const next = await emulator.fetch('/api/get-only');
		expect(next.status).toBe(201);
		expect(await next.text()).toBe('get body');
	});
});

describe('origin check', () => {
	const post = (headers: Record<string, string>, method = 'POST', body: string | null = 'x=1', path = '/api/form') =>
		emulator.fetch(path, { method, headers, body });

	it.each<[string, Record<string, string>, string?]>([
		['form, no Origin', { 'content-type': 'application/x-www-form-urlencoded' }],
		['form, other Origin', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }],
		['multipart, no Origin', { 'content-type': 'multipart/form-data; boundary=x' }],
		['text/plain, no Origin', { 'content-type': 'text/plain;charset=UTF-8' }],
		['TEXT/PLAIN, other Origin', { 'content-type': 'TEXT/PLAIN', origin: 'http://localhost:9999' }],
		['PUT form, no Origin', { 'content-type': 'application/x-www-form-urlencoded' }, 'PUT'],
		['DELETE form, no Origin', { 'content-type': 'application/x-www-form-urlencoded' }, 'DELETE'],
	])('%s → 403', async (_name, headers, method = 'POST') => {
		const res = await post(headers, method);
		expect(res.status).toBe(403);
		expect(await res.text()).toBe(`Cross-site ${method} form submissions are forbidden`);
		expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
	});

	it('no content-type and no Origin → 403', async () => {
		const res = await post({}, 'POST', null);
		expect(res.status).toBe(403);
		expect(await res.text()).toBe('Cross-site POST form submissions are forbidden');
	});

	it('an unmatched route is checked too', async () => {
		const res = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', 'x=1', '/api/nothing-here');
		expect(res.status).toBe(403);
	});

	it.each<[string, Record<string, string>, string | null, string]>([
		['JSON, no Origin', { 'content-type': 'application/json' }, '{"a":1}', 'posted {"a":1}'],
		['octet-stream, no Origin', { 'content-type': 'application/octet-stream' }, 'raw', 'posted raw'],
		['form, same Origin', { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:4321' }, 'x=1', 'posted x=1'],
		['no content-type, same Origin', { origin: 'http://localhost:4321' }, null, 'posted '],
	])('%s passes', async (_name, headers, body, expected) => {
		const res = await post(headers, 'POST', body);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(expected);
	});

	it('GET is never checked', async () => {
		expect((await emulator.fetch('/api/get-only', { headers: { origin: 'https://evil.example' } })).status).toBe(201);
	});

	// Astro's build output is 'server' as soon as an adapter serves on-demand routes, so it checks there too.
	it("output: 'static' checks an on-demand endpoint as well", async () => {
		const files = { 'src/pages/api/form.ts': `export const prerender = false;\n${PROJECT['src/pages/api/form.ts']}` };
		await withEmulator(files, { output: 'static', site: 'https://example.com' }, async (e) => {
			const post = (origin: string) => e.fetch('/api/form', { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: 'x=1' });
			expect((await post('https://evil.example')).status).toBe(403);
			expect((await post('http://localhost:4321')).status).toBe(200);
		});
	});

	it('security.checkOrigin: false turns it off', async () => {
		await withEmulator(PROJECT, { security: { checkOrigin: false } }, async (e) => {
			const res = await e.fetch('/api/form', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
			expect(res.status).toBe(200);
		});
	});
});

describe('cookies', () => {
	it('context.cookies lines come after the Response’s own Set-Cookie', async () => {
		const res = await emulator.fetch('/api/cookies');
		expect(await res.text()).toBe('ok');
		expect(emulator.setCookies(res)).toEqual(['a=1', 'c=v; Path=/']);
	});

	it('a hand-built Response with set-cookie keeps it', async () => {
		const res = await emulator.fetch('/api/manual-cookie');
		expect(emulator.setCookies(res)).toEqual(['a=1']);
	});

	it('set/delete serialize as Astro does; get reads the request Cookie header', async () => {
		const res = await emulator.fetch('/api/astro-cookies', { headers: { cookie: 'incoming=hi%20there; other=1' } });
		expect(await res.text()).toBe('hi there');
		expect(emulator.setCookies(res)).toEqual(['one=1', 'two=x%20y; HttpOnly', 'gone=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
	});

	it('cookies survive context.redirect()', async () => {
		const res = await emulator.fetch('/api/redirect-cookie');
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe('/elsewhere');
		expect(emulator.setCookies(res)).toEqual(['r=1']);
	});
});

describe('config redirects', () => {
	let e: Emulator;
	beforeAll(async () => {
		e = await createEmulator({
			root: makeProject({
				...PROJECT,
				'src/pages/new.ts': `export const GET = () => new Response('new');\n`,
				// A config redirect shadows a file route with the same path.
				'src/pages/old.ts': `export const GET = () => new Response('old file route');\n`,
				'src/pages/blog/[slug].ts': `export const GET = () => new Response('blog file route');\n`,
			}),
			config: {
				redirects: {
					'/old': '/new',
					'/blog/[slug]': '/posts/[slug]',
					'/docs/[...rest]': '/d/[...rest]',
					'/temp': { status: 307, destination: '/new' },
					'/away': 'https://example.com/x',
				},
			},
			logger: recordingLogger(),
		});
	});
	afterAll(async () => {
		await e?.close();
	});

	it.each<[string, string, number, string]>([
		['GET', '/old', 301, '/new'],
		['GET', '/old?x=1', 301, '/new'],
		['GET', '/old/', 301, '/new'],
		['POST', '/old', 308, '/new'],
		['HEAD', '/old', 308, '/new'],
		['PUT', '/old?x=1', 308, '/new'],
		['GET', '/blog/hello-world', 301, '/posts/hello-world'],
		['GET', '/blog/hello-world?utm=1', 301, '/posts/hello-world'],
		['POST', '/blog/hello-world', 308, '/posts/hello-world'],
		['GET', '/blog/caf%C3%A9', 301, '/posts/caf%C3%A9'],
		['GET', '/docs/a/b', 301, '/d/a/b'],
		['GET', '/temp', 307, '/new'],
		['POST', '/temp', 307, '/new'],
		['GET', '/away', 301, 'https://example.com/x'],
	])('%s %s → %i %s', async (method, path, status, location) => {
		// No Origin and no content-type: config redirects are served before the origin check.
		const res = await e.fetch(path, { method });
		expect(res.status).toBe(status);
		expect(res.headers.get('location')).toBe(location);
	});

	it('the destination route itself answers', async () => {
		expect(await (await e.fetch('/new')).text()).toBe('new');
	});

	it('paths that only look similar are not redirected', async () => {
		expect((await e.fetch('/older')).status).toBe(404);
		expect((await e.fetch('/blog')).status).toBe(404);
	});
});
