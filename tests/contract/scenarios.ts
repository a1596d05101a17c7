// The contract: scenarios that run unchanged against Vitest mode (setupEmulator,
// happy-dom) and Playwright mode (the emulator fixture, a real worker in Chromium),
// each compared with the same expected transcript, so both modes give identical
// results. Handlers given to `use` must be self-contained: in Playwright mode they
// travel to the worker as source text.

/** What a scenario sees of one fetch() from the page. */
export type Observed = { status: number; body: unknown; redirected: boolean; path: string } | { error: 'network' };

export interface RequestInit {
	method?: string;
	json?: unknown;
	body?: string;
	headers?: Record<string, string>;
}

/** The same controls in both modes. */
export interface Driver {
	/** fetch() from the page: JSON bodies parsed, empty bodies as '' */
	request(path: string, init?: RequestInit): Promise<Observed>;
	/** the page's document.cookie */
	documentCookie(): Promise<string>;
	use(method: string, path: string, handler: (context: any) => Response | Promise<Response>, options?: { once?: boolean }): Promise<void>;
	delay(path: string, ms: number, options?: { method?: string }): Promise<void>;
	fail(path: string, options?: { method?: string; times?: number }): Promise<void>;
	setLocals(locals: Record<string, unknown>): Promise<void>;
	seed(data: { cookies?: Record<string, string>; session?: Record<string, unknown>; locals?: Record<string, unknown> }): Promise<void>;
	reset(): Promise<void>;
	/** the request log since the last reset: method, path, status, kind, route, params (waits for `count` records: they arrive beside the responses) */
	log(
		count: number,
	): Promise<Array<{ method: string; path: string; status: number; kind: string; route: string | null; params: Record<string, string | undefined> }>>;
}

export interface Scenario {
	name: string;
	run(d: Driver): Promise<unknown>;
	expected: unknown;
}

const cookieNames = (cookie: string) =>
	cookie
		.split(';')
		.map((c) => c.trim().split('=')[0])
		.filter(Boolean)
		.sort();

export const scenarios: Scenario[] = [
	{
		name: 'CRUD with params',
		async run(d) {
			return [
				await d.request('/api/items', { method: 'POST', json: { title: 'write tests' } }),
				await d.request('/api/items', { method: 'POST', json: { title: 'ship' } }),
				await d.request('/api/items/2'),
				await d.request('/api/items/1', { method: 'PUT', json: { done: true } }),
				await d.request('/api/items/1', { method: 'DELETE' }),
				await d.request('/api/items/1'),
				await d.request('/api/items'),
			];
		},
		expected: [
			{ status: 201, body: { id: 1, title: 'write tests', done: false }, redirected: false, path: '/api/items' },
			{ status: 201, body: { id: 2, title: 'ship', done: false }, redirected: false, path: '/api/items' },
			{ status: 200, body: { id: 2, title: 'ship', done: false }, redirected: false, path: '/api/items/2' },
			{ status: 200, body: { id: 1, title: 'write tests', done: true }, redirected: false, path: '/api/items/1' },
			{ status: 204, body: '', redirected: false, path: '/api/items/1' },
			{ status: 404, body: { error: 'no item 1' }, redirected: false, path: '/api/items/1' },
			{ status: 200, body: [{ id: 2, title: 'ship', done: false }], redirected: false, path: '/api/items' },
		],
	},
	{
		name: 'cookies: HttpOnly stays hidden, page-visible ones reach document.cookie',
		async run(d) {
			const before = await d.request('/api/me');
			const login = await d.request('/api/login', { method: 'POST', json: { name: 'ada' } });
			const prefs = await d.request('/api/prefs', { method: 'POST', json: { theme: 'dark' } });
			const me = await d.request('/api/me');
			const visible = cookieNames(await d.documentCookie());
			const logout = await d.request('/api/login', { method: 'DELETE' });
			const after = await d.request('/api/me');
			return { before, login, prefs, me, visible, logout, after };
		},
		expected: {
			before: { status: 401, body: { error: 'not signed in' }, redirected: false, path: '/api/me' },
			login: { status: 200, body: { signedIn: 'ada' }, redirected: false, path: '/api/login' },
			prefs: { status: 200, body: { theme: 'dark' }, redirected: false, path: '/api/prefs' },
			me: { status: 200, body: { cookie: 'ada', user: 'ada', role: null }, redirected: false, path: '/api/me' },
			visible: ['theme'],
			logout: { status: 204, body: '', redirected: false, path: '/api/login' },
			after: { status: 401, body: { error: 'not signed in' }, redirected: false, path: '/api/me' },
		},
	},
	{
		name: 'sessions keep state across requests',
		async run(d) {
			const counts = [];
			for (let i = 0; i < 3; i++) counts.push(await d.request('/api/counter', { method: 'POST' }));
			return counts.map((c) => ('body' in c ? c.body : c));
		},
		expected: [{ count: 1 }, { count: 2 }, { count: 3 }],
	},
	{
		name: 'redirects are followed, from an endpoint and from the config',
		async run(d) {
			await d.request('/api/items', { method: 'POST', json: { title: 'a' } });
			return [await d.request('/api/old'), await d.request('/api/legacy')];
		},
		expected: [
			{ status: 200, body: [{ id: 1, title: 'a', done: false }], redirected: true, path: '/api/items' },
			{ status: 200, body: [{ id: 1, title: 'a', done: false }], redirected: true, path: '/api/items' },
		],
	},
	{
		name: 'errors: a throwing handler, no route, bad input',
		async run(d) {
			return [
				await d.request('/api/boom'),
				await d.request('/api/items/7'),
				await d.request('/api/items', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }),
				await d.request('/api/items', { method: 'POST', json: { title: '' } }),
				(await d.request('/api/boom')) && (await d.request('/api/items')),
			];
		},
		expected: [
			{ status: 500, body: '', redirected: false, path: '/api/boom' },
			{ status: 404, body: { error: 'no item 7' }, redirected: false, path: '/api/items/7' },
			{ status: 400, body: { error: 'the body must be JSON' }, redirected: false, path: '/api/items' },
			{ status: 422, body: { error: 'title is required' }, redirected: false, path: '/api/items' },
			{ status: 200, body: [], redirected: false, path: '/api/items' },
		],
	},
	{
		name: 'overrides win over file routes, per method, once, until reset',
		async run(d) {
			await d.use('GET', '/api/items/[id]', ({ params }) => Response.json({ mocked: params.id }));
			await d.use('POST', '/api/items', () => Response.json({ error: 'quota' }, { status: 503 }), { once: true });
			const mocked = await d.request('/api/items/5');
			const once = await d.request('/api/items', { method: 'POST', json: { title: 'x' } });
			const real = await d.request('/api/items', { method: 'POST', json: { title: 'x' } });
			const newRoute = (await d.use('GET', '/api/health', () => new Response('ok')), await d.request('/api/health'));
			await d.reset();
			const afterReset = await d.request('/api/items/5');
			return { mocked, once, real, newRoute, afterReset };
		},
		expected: {
			mocked: { status: 200, body: { mocked: '5' }, redirected: false, path: '/api/items/5' },
			once: { status: 503, body: { error: 'quota' }, redirected: false, path: '/api/items' },
			real: { status: 201, body: { id: 1, title: 'x', done: false }, redirected: false, path: '/api/items' },
			newRoute: { status: 200, body: 'ok', redirected: false, path: '/api/health' },
			afterReset: { status: 404, body: { error: 'no item 5' }, redirected: false, path: '/api/items/5' },
		},
	},
	{
		name: 'latency and network errors per route',
		async run(d) {
			await d.delay('/api/items', 150, { method: 'GET' });
			const start = Date.now();
			const slow = await d.request('/api/items');
			const waited = Date.now() - start >= 140;
			await d.fail('/api/items/[id]', { times: 1 });
			const broken = await d.request('/api/items/1');
			const again = await d.request('/api/items/1');
			return { slow, waited, broken, again };
		},
		expected: {
			slow: { status: 200, body: [], redirected: false, path: '/api/items' },
			waited: true,
			broken: { error: 'network' },
			again: { status: 404, body: { error: 'no item 1' }, redirected: false, path: '/api/items/1' },
		},
	},
	{
		name: 'locals and seeded state',
		async run(d) {
			await d.setLocals({ role: 'admin' });
			const admin = await d.request('/api/me');
			await d.reset();
			await d.seed({ session: { user: 'grace', items: [{ id: 9, title: 'seeded', done: false }] }, cookies: { user: 'grace' } });
			const seeded = await d.request('/api/me');
			const items = await d.request('/api/items');
			return { admin, seeded, items };
		},
		expected: {
			admin: { status: 200, body: { cookie: null, user: null, role: 'admin' }, redirected: false, path: '/api/me' },
			seeded: { status: 200, body: { cookie: 'grace', user: 'grace', role: null }, redirected: false, path: '/api/me' },
			items: { status: 200, body: [{ id: 9, title: 'seeded', done: false }], redirected: false, path: '/api/items' },
		},
	},
	{
		name: 'the request log names method, path, status, route and params',
		async run(d) {
			await d.reset();
			await d.request('/api/items/3');
			await d.use('GET', '/api/items', () => Response.json([]));
			await d.request('/api/items?page=2');
			await d.request('/api/old');
			return d.log(4);
		},
		expected: [
			{ method: 'GET', path: '/api/items/3', status: 404, kind: 'endpoint', route: '/api/items/[id]', params: { id: '3' } },
			{ method: 'GET', path: '/api/items?page=2', status: 200, kind: 'override', route: '/api/items', params: {} },
			{ method: 'GET', path: '/api/old', status: 302, kind: 'endpoint', route: '/api/old', params: {} },
			{ method: 'GET', path: '/api/items', status: 200, kind: 'override', route: '/api/items', params: {} },
		],
	},
];

/** Turns a fetch() outcome into what scenarios compare (runs in the page in Playwright mode, so self-contained). */
export async function observe(response: Response): Promise<Observed> {
	const text = await response.text();
	const type = response.headers.get('content-type') ?? '';
	let body: unknown = text;
	if (type.includes('json') && text) body = JSON.parse(text);
	return { status: response.status, body, redirected: response.redirected, path: new URL(response.url).pathname };
}
