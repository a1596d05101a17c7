// The worker's browser state (sw/browser/state.ts): the cookie jar persisted to a
// key-value store, mirrored into the page's real cookies, and the default locals.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClientState, type PageCookies } from '../../sw/browser/state.ts';
import { createMemoryKv, type KeyValueStore } from '../../sw/core/kv.ts';
import { cookieKey, type JarCookie, type RequestSite } from '../../sw/browser/cookie-jar.ts';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const SAME: RequestSite = { sameSite: true, navigation: false, method: 'GET' };
const ORIGIN = 'https://example.com';
const url = (path: string) => new URL(path, ORIGIN);

type SetOptions = Parameters<PageCookies['set']>[0];
type DeleteOptions = Parameters<PageCookies['delete']>[0];

/** The page's real cookies, in memory: what a cookieStore would hold for the site, seen at `observedPath`. */
class FakePage implements PageCookies {
	/** name;path → cookie */
	readonly jar = new Map<string, { name: string; value: string; path: string; expires: number | null; sameSite?: string; domain?: string | null }>();
	readonly sets: SetOptions[] = [];
	readonly deletes: DeleteOptions[] = [];
	getAllCalls = 0;
	failGetAll = false;
	failSet = false;
	failDelete = false;
	dropWrites = false;

	constructor(
		readonly observedPath = '/',
		/** what getAll() reports as the path: the real one (cookieStore) or null (document.cookie) */
		readonly reportPaths = true,
	) {}

	/** A cookie the page itself wrote (document.cookie = ...). */
	write(name: string, value: string, path = '/'): this {
		this.jar.set(`${name};${path}`, { name, value, path, expires: null });
		return this;
	}

	has(name: string, path = '/'): boolean {
		return this.jar.has(`${name};${path}`);
	}

	value(name: string, path = '/'): string | undefined {
		return this.jar.get(`${name};${path}`)?.value;
	}

	async getAll() {
		this.getAllCalls++;
		if (this.failGetAll) throw new Error('getAll failed');
		const visible = [...this.jar.values()].filter(
			(c) => c.path === '/' || this.observedPath === c.path || this.observedPath.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
		);
		// longest path first, as document.cookie lists them
		visible.sort((a, b) => b.path.length - a.path.length);
		return visible.map((c) => ({ name: c.name, value: c.value, path: this.reportPaths ? c.path : null }));
	}

	async set(options: SetOptions) {
		this.sets.push(structuredClone(options));
		if (this.failSet) throw new Error('set failed');
		// Firefox 153 ESR / WebKitGTK 2.50's worker cookieStore: the write resolves, the page never holds it.
		if (this.dropWrites) return false;
		const path = options.path ?? '/';
		this.jar.set(`${options.name};${path}`, {
			name: options.name,
			value: options.value,
			path,
			expires: options.expires ?? null,
			sameSite: options.sameSite,
			domain: options.domain,
		});
		return (await this.getAll()).some((c) => c.name === options.name && c.value === options.value);
	}

	async delete(options: DeleteOptions) {
		this.deletes.push(structuredClone(options));
		if (this.failDelete) throw new Error('delete failed');
		this.jar.delete(`${options.name};${options.path ?? '/'}`);
	}
}

/** A client state over fresh (or the given) memory stores, with a clock the test moves. */
function setup(stores?: { cookies: KeyValueStore<JarCookie>; meta: KeyValueStore<unknown> }) {
	const cookies = stores?.cookies ?? createMemoryKv<JarCookie>();
	const meta = stores?.meta ?? createMemoryKv<unknown>();
	const clock = { t: NOW };
	const state = createClientState({ cookies, meta, now: () => clock.t });
	return { state, cookies, meta, clock };
}

type State = ReturnType<typeof setup>['state'];

/** One request: begin, then finish with the response's Set-Cookie lines; returns the Cookie header sent. */
async function request(state: State, path: string, setCookies: string[] = [], page?: PageCookies, site = SAME): Promise<string | null> {
	const exchange = await state.begin(url(path), site, page);
	await exchange.finish(setCookies);
	return exchange.cookie;
}

const cookieHeaderFor = async (state: State, path: string, page?: PageCookies) => (await state.begin(url(path), SAME, page)).cookie;
const kvNames = async (kv: KeyValueStore<JarCookie>) => (await kv.entries()).map(([, c]) => `${c.name}=${c.value}`).sort();
const jarNames = async (state: State) => (await state.jarCookies()).map((c) => `${c.name}=${c.value}`).sort();

afterEach(() => {
	vi.restoreAllMocks();
});

describe('cookies from responses', () => {
	it("a Set-Cookie from a response is in the next request's Cookie header", async () => {
		const { state } = setup();
		expect(await request(state, '/api/login', ['sid=abc; Path=/; HttpOnly', 'pref=dark; Path=/'])).toBeNull();
		expect(await cookieHeaderFor(state, '/api/me')).toBe('sid=abc; pref=dark');
		expect(await cookieHeaderFor(state, '/')).toBe('sid=abc; pref=dark');
	});

	it('the jar applies path and expiry rules to what is sent', async () => {
		const { state, clock } = setup();
		await request(state, '/api/cookies/set', ['scoped=1', 'short=2; Path=/; Max-Age=60']);
		expect(await cookieHeaderFor(state, '/api/cookies/x')).toBe('scoped=1; short=2');
		expect(await cookieHeaderFor(state, '/api/other')).toBe('short=2');
		clock.t = NOW + 60_000;
		expect(await cookieHeaderFor(state, '/api/cookies/x')).toBe('scoped=1');
		expect(await cookieHeaderFor(state, '/')).toBeNull();
	});

	it('finish() resolves only after the KV store has the cookie, and a restarted worker still sends it', async () => {
		const kv = createMemoryKv<JarCookie>();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const slow: KeyValueStore<JarCookie> = {
			...kv,
			setMany: async (items) => {
				await gate;
				await kv.setMany(items);
			},
		};
		const { state, meta } = setup({ cookies: slow, meta: createMemoryKv() });
		const exchange = await state.begin(url('/api/login'), SAME);
		let finished = false;
		const done = exchange.finish(['sid=abc; Path=/; HttpOnly; Max-Age=3600']).then(() => (finished = true));
		for (let i = 0; i < 20; i++) await Promise.resolve();
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(finished).toBe(false);
		expect(await kv.entries()).toEqual([]);
		release();
		await done;
		expect(finished).toBe(true);
		const stored = await kv.get(cookieKey({ name: 'sid', domain: 'example.com', path: '/' }));
		expect(stored).toMatchObject({ name: 'sid', value: 'abc', httpOnly: true, path: '/', expires: NOW + 3_600_000 });

		// A restarted worker: a new state over the same stores.
		const restarted = setup({ cookies: kv, meta });
		expect(await cookieHeaderFor(restarted.state, '/api/me')).toBe('sid=abc');
	});

	it('a changed cookie replaces the stored one in the KV (one entry per name, domain and path)', async () => {
		const { state, cookies } = setup();
		await request(state, '/', ['a=1; Path=/']);
		await request(state, '/', ['a=2; Path=/', 'b=3; Path=/x']);
		expect(await kvNames(cookies)).toEqual(['a=2', 'b=3']);
		const restarted = setup({ cookies, meta: createMemoryKv() });
		expect(await cookieHeaderFor(restarted.state, '/x/y')).toBe('b=3; a=2');
	});

	it('a response without Set-Cookie stores nothing', async () => {
		const cookies = createMemoryKv<JarCookie>();
		const setMany = vi.spyOn(cookies, 'setMany');
		const { state } = setup({ cookies, meta: createMemoryKv() });
		expect(await request(state, '/')).toBeNull();
		expect(setMany).not.toHaveBeenCalled();
		expect(await cookies.entries()).toEqual([]);
	});

	it('lines a browser ignores are not stored', async () => {
		const { state, cookies } = setup();
		await request(state, '/', ['novalue', 'a=1; Domain=other.com', 'b=2; SameSite=None', 'c=3; Path=/']);
		expect(await kvNames(cookies)).toEqual(['c=3']);
		expect(await jarNames(state)).toEqual(['c=3']);
	});

	it('a deletion line removes the cookie from the jar, the KV and the page', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/api/login', ['pref=dark; Path=/', 'keep=1; Path=/'], page);
		expect(page.value('pref')).toBe('dark');
		expect(await kvNames(cookies)).toEqual(['keep=1', 'pref=dark']);

		await request(state, '/api/logout', ['pref=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], page);
		expect(page.deletes).toEqual([{ name: 'pref', path: '/', domain: null }]);
		expect(page.has('pref')).toBe(false);
		expect(await kvNames(cookies)).toEqual(['keep=1']);
		expect(await jarNames(state)).toEqual(['keep=1']);
		expect(await cookieHeaderFor(state, '/', page)).toBe('keep=1');
		const restarted = setup({ cookies, meta: createMemoryKv() });
		expect(await cookieHeaderFor(restarted.state, '/')).toBe('keep=1');
	});

	it('a Max-Age=0 deletion removes an HttpOnly cookie from the jar and KV (never touching the page for it)', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/', ['sid=abc; Path=/; HttpOnly'], page);
		await request(state, '/', ['sid=; Path=/; HttpOnly; Max-Age=0'], page);
		expect(await kvNames(cookies)).toEqual([]);
		expect(await cookieHeaderFor(state, '/', page)).toBeNull();
		expect(page.sets).toEqual([]);
		expect(page.deletes).toEqual([]);
	});
});

describe('mirroring into the page', () => {
	it('HttpOnly cookies are never passed to page.set; page-visible ones are, with path, expires and sameSite', async () => {
		const { state } = setup();
		const page = new FakePage();
		await request(
			state,
			'/api/cookies/set',
			[
				'sid=secret; Path=/; HttpOnly',
				'pref=dark; Path=/; Max-Age=60',
				'scoped=1',
				'strict=2; Path=/; SameSite=Strict',
				'none=3; Path=/; SameSite=None; Secure',
				'wide=4; Path=/; Domain=example.com; Expires=Wed, 01 Jan 2031 00:00:00 GMT',
				'hidden=5; Path=/; HttpOnly; SameSite=Lax',
			],
			page,
		);
		expect(page.sets.map((s) => s.name)).not.toContain('sid');
		expect(page.sets.map((s) => s.name)).not.toContain('hidden');
		expect(page.sets).toEqual([
			{ name: 'pref', value: 'dark', path: '/', domain: null, expires: NOW + 60_000, sameSite: 'lax' },
			{ name: 'scoped', value: '1', path: '/api/cookies', domain: null, expires: null, sameSite: 'lax' },
			{ name: 'strict', value: '2', path: '/', domain: null, expires: null, sameSite: 'strict' },
			{ name: 'none', value: '3', path: '/', domain: null, expires: null, sameSite: 'none' },
			{ name: 'wide', value: '4', path: '/', domain: 'example.com', expires: Date.UTC(2031, 0, 1), sameSite: 'lax' },
		]);
		expect(page.has('sid')).toBe(false);
		expect(page.deletes).toEqual([]);
		// The HttpOnly cookies still go to the server, and only once each.
		expect(await cookieHeaderFor(state, '/api/cookies/get', page)).toBe('scoped=1; sid=secret; pref=dark; strict=2; none=3; wide=4; hidden=5');
	});

	it("the page's own cookie (in getAll() but not in the jar) reaches the Cookie header", async () => {
		const { state, cookies } = setup();
		const page = new FakePage().write('theme', 'light');
		await request(state, '/api/login', ['sid=abc; Path=/; HttpOnly'], page);
		expect(await cookieHeaderFor(state, '/api/me', page)).toBe('sid=abc; theme=light');
		// It is the page's, not the jar's: nothing of it is stored, and without the page it is not sent.
		expect(await kvNames(cookies)).toEqual(['sid=abc']);
		expect(await cookieHeaderFor(state, '/api/me')).toBe('sid=abc');
		// The page changes it: the next request sees the new value.
		page.write('theme', 'dark');
		expect(await cookieHeaderFor(state, '/api/me', page)).toBe('sid=abc; theme=dark');
	});

	it("the page's own cookies are path-matched against the request", async () => {
		const { state } = setup();
		const page = new FakePage('/docs/intro').write('root', '1').write('docs', '2', '/docs').write('other', '3', '/other');
		expect(await cookieHeaderFor(state, '/docs/api/x', page)).toBe('docs=2; root=1');
		expect(await cookieHeaderFor(state, '/docsx', page)).toBe('root=1');
		expect(await cookieHeaderFor(state, '/api', page)).toBe('root=1');
	});

	it('a page-visible jar cookie the page deleted is dropped from the jar and the KV', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/api/login', ['pref=dark; Path=/', 'other=1; Path=/', 'sid=abc; Path=/; HttpOnly'], page);
		page.jar.delete('pref;/'); // document.cookie = 'pref=; expires=...'
		expect(await cookieHeaderFor(state, '/api/me', page)).toBe('other=1; sid=abc');
		expect(await jarNames(state)).toEqual(['other=1', 'sid=abc']);
		expect(await kvNames(cookies)).toEqual(['other=1', 'sid=abc']);
		// HttpOnly cookies are never in the page, so their absence there deletes nothing.
		expect(await cookieHeaderFor(setup({ cookies, meta: createMemoryKv() }).state, '/')).toBe('other=1; sid=abc');
	});

	it('a page-visible jar cookie whose value the page changed is updated in the jar and the KV', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/api/login', ['pref=dark; Path=/; Max-Age=3600; SameSite=Strict'], page);
		page.write('pref', 'light');
		expect(await cookieHeaderFor(state, '/api/me', page)).toBe('pref=light');
		expect(await state.jarCookies()).toEqual([
			expect.objectContaining({ name: 'pref', value: 'light', expires: NOW + 3_600_000, sameSite: 'strict', created: NOW }),
		]);
		expect(await kvNames(cookies)).toEqual(['pref=light']);
		// A restarted worker without the page sends the page's value.
		expect(await cookieHeaderFor(setup({ cookies, meta: createMemoryKv() }).state, '/')).toBe('pref=light');
	});

	it('jar cookies whose path does not cover the observed path are not reconciled', async () => {
		const { state, cookies } = setup();
		const page = new FakePage('/');
		await request(state, '/api/cookies/set', ['scoped=1'], page);
		// A page at / does not see a /api/cookies cookie: that is not a deletion.
		expect(await cookieHeaderFor(state, '/api/cookies/get', page)).toBe('scoped=1');
		expect(await kvNames(cookies)).toEqual(['scoped=1']);
	});

	describe('a page that reports no paths (document.cookie)', () => {
		it('keeps a jar cookie whose path covers the page but is not /, and does not send it outside its path', async () => {
			const { state, cookies } = setup();
			const page = new FakePage('/app/page', false);
			await request(state, '/app/api/login', ['a=1; Path=/app', 'b=2; Path=/'], page);
			expect(page.value('a', '/app')).toBe('1');
			expect(await cookieHeaderFor(state, '/app/x', page)).toBe('a=1; b=2');
			expect(await cookieHeaderFor(state, '/other', page)).toBe('b=2');
			expect(await kvNames(cookies)).toEqual(['a=1', 'b=2']);
		});

		it('still sees the page delete or change such a cookie', async () => {
			const { state, cookies } = setup();
			const page = new FakePage('/app/page', false);
			await request(state, '/app/api/login', ['a=1; Path=/app', 'b=2; Path=/app'], page);
			page.jar.delete('a;/app');
			page.write('b', 'changed', '/app');
			expect(await cookieHeaderFor(state, '/app/x', page)).toBe('b=changed');
			expect(await kvNames(cookies)).toEqual(['b=changed']);
			expect(await cookieHeaderFor(state, '/other', page)).toBeNull();
		});

		it('tells apart same-named cookies of different paths by their order', async () => {
			const { state, cookies } = setup();
			const page = new FakePage('/app/page', false);
			await request(state, '/app/api/login', ['x=root; Path=/'], page);
			await request(state, '/app/api/login', ['x=app; Path=/app'], page);
			expect(await cookieHeaderFor(state, '/app/x', page)).toBe('x=app; x=root');
			expect(await cookieHeaderFor(state, '/', page)).toBe('x=root');
			expect(await kvNames(cookies)).toEqual(['x=app', 'x=root']);
		});

		it("sends the page's own cookie (path unknown, taken as /)", async () => {
			const { state } = setup();
			const page = new FakePage('/app/page', false).write('own', '1', '/app');
			await request(state, '/app/api', ['jar=2; Path=/app'], page);
			expect(await cookieHeaderFor(state, '/app/x', page)).toBe('jar=2; own=1');
		});
	});

	it('an HttpOnly cookie replacing a page-visible one of the same name deletes the page copy', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/', ['sid=visible; Path=/'], page);
		expect(page.value('sid')).toBe('visible');
		await request(state, '/api/login', ['sid=secret; Path=/; HttpOnly'], page);
		expect(page.deletes).toEqual([{ name: 'sid', path: '/', domain: null }]);
		expect(page.has('sid')).toBe(false);
		expect(page.sets.filter((s) => s.value === 'secret')).toEqual([]);
		expect(await state.jarCookies()).toEqual([expect.objectContaining({ name: 'sid', value: 'secret', httpOnly: true })]);
		expect(await kvNames(cookies)).toEqual(['sid=secret']);
		// Only the HttpOnly one is sent, once.
		expect(await cookieHeaderFor(state, '/', page)).toBe('sid=secret');
	});

	it("an HttpOnly cookie replacing the page's own cookie of the same name deletes the page's", async () => {
		const { state } = setup();
		const page = new FakePage().write('token', 'from-page');
		await request(state, '/api/login', ['token=server; Path=/; HttpOnly'], page);
		expect(page.deletes).toEqual([{ name: 'token', path: '/', domain: null }]);
		expect(page.has('token')).toBe(false);
		expect(await cookieHeaderFor(state, '/', page)).toBe('token=server');
	});

	it('page.getAll() rejecting: the request still gets the jar cookies, and nothing is reconciled away', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/api/login', ['pref=dark; Path=/', 'sid=abc; Path=/; HttpOnly'], page);
		const delMany = vi.spyOn(cookies, 'delMany');
		const setMany = vi.spyOn(cookies, 'setMany');
		page.failGetAll = true;
		page.jar.clear(); // whatever the page holds, it can't be read
		const exchange = await state.begin(url('/api/me'), SAME, page);
		expect(exchange.cookie).toBe('pref=dark; sid=abc');
		await exchange.finish([]);
		expect(page.getAllCalls).toBeGreaterThan(0);
		expect(delMany).not.toHaveBeenCalled();
		expect(setMany).not.toHaveBeenCalled();
		expect(page.deletes).toEqual([]);
		expect(await jarNames(state)).toEqual(['pref=dark', 'sid=abc']);
		expect(await kvNames(cookies)).toEqual(['pref=dark', 'sid=abc']);
		// A response in that request is still stored.
		const second = await state.begin(url('/api/me'), SAME, page);
		await expect(second.finish(['more=1; Path=/'])).resolves.toBeUndefined();
		expect(await kvNames(cookies)).toEqual(['more=1', 'pref=dark', 'sid=abc']);
		// A page whose cookies can't be read is left out of mirroring too.
		expect(page.sets.map((s) => s.name)).toEqual(['pref']);
	});

	it('page.set() rejecting: finish() still resolves and the jar and the KV have the cookie', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const { state, cookies } = setup();
		const page = new FakePage();
		page.failSet = true;
		const exchange = await state.begin(url('/api/login'), SAME, page);
		await expect(exchange.finish(['pref=dark; Path=/'])).resolves.toBeUndefined();
		expect(page.sets).toHaveLength(1);
		expect(warn).toHaveBeenCalled();
		expect(await jarNames(state)).toEqual(['pref=dark']);
		expect(await kvNames(cookies)).toEqual(['pref=dark']);
		expect(await cookieHeaderFor(state, '/api/me')).toBe('pref=dark');
	});

	it('page.delete() rejecting: finish() still resolves and the deletion is stored', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const { state, cookies } = setup();
		const page = new FakePage();
		await request(state, '/', ['pref=dark; Path=/'], page);
		page.failDelete = true;
		const exchange = await state.begin(url('/api/logout'), SAME, page);
		await expect(exchange.finish(['pref=; Path=/; Max-Age=0'])).resolves.toBeUndefined();
		expect(warn).toHaveBeenCalled();
		expect(await kvNames(cookies)).toEqual([]);
		expect(await jarNames(state)).toEqual([]);
	});

	describe('an engine whose copies into the page silently fail (the write resolves, the page never shows it)', () => {
		it('keeps the cookie in the jar and sends it on every later request; the page is not asked again per request', async () => {
			const { state, cookies } = setup();
			const page = new FakePage();
			page.dropWrites = true;
			await request(state, '/api/theme', ['theme=dark; Path=/', 'hand=1; Path=/'], page);
			expect(page.has('theme')).toBe(false);
			for (let i = 0; i < 3; i++) expect(await request(state, '/api/x', [], page)).toBe('theme=dark; hand=1');
			expect(await kvNames(cookies)).toEqual(['hand=1', 'theme=dark']);
			// copied once when set; not again on each request of this worker instance
			expect(page.sets.map((s) => s.name)).toEqual(['theme', 'hand']);
			expect(await state.pageCookies()).toEqual([
				{ name: 'theme', value: 'dark', path: '/', expires: null, inDocument: false },
				{ name: 'hand', value: '1', path: '/', expires: null, inDocument: false },
			]);
			// A restarted worker (new instance over the same storage) still sends them.
			expect(await cookieHeaderFor(setup({ cookies, meta: createMemoryKv() }).state, '/api/x', page)).toBe('theme=dark; hand=1');
		});

		it("a stale page value of a cookie never shown is not taken as the page's change", async () => {
			const { state } = setup();
			const page = new FakePage();
			await request(state, '/', ['theme=light; Path=/'], page);
			page.dropWrites = true;
			await request(state, '/', ['theme=dark; Path=/'], page);
			expect(page.value('theme')).toBe('light');
			expect(await cookieHeaderFor(state, '/api/x', page)).toBe('theme=dark');
		});

		it('a restarted worker whose page copies work copies the unshown cookie again and then honours page deletions', async () => {
			const { state, cookies } = setup();
			const page = new FakePage();
			page.dropWrites = true;
			await request(state, '/', ['theme=dark; Path=/'], page);
			page.dropWrites = false;
			const restarted = setup({ cookies, meta: createMemoryKv() }).state;
			expect(await cookieHeaderFor(restarted, '/api/x', page)).toBe('theme=dark');
			expect(page.value('theme')).toBe('dark');
			expect(await restarted.pageCookies()).toEqual([expect.objectContaining({ name: 'theme', inDocument: true })]);
			page.jar.delete('theme;/');
			expect(await cookieHeaderFor(restarted, '/api/x', page)).toBeNull();
		});

		it('a cookie the page shows records inDocument: true', async () => {
			const { state, cookies } = setup();
			await request(state, '/', ['theme=dark; Path=/', 'sid=1; Path=/; HttpOnly'], new FakePage());
			expect(await state.pageCookies()).toEqual([{ name: 'theme', value: 'dark', path: '/', expires: null, inDocument: true }]);
			expect((await cookies.entries()).find(([, c]) => c.name === 'theme')?.[1].shown).toBe(true);
		});
	});

	it('without a page object everything works from the jar alone', async () => {
		const { state, cookies } = setup();
		expect(await request(state, '/api/login', ['sid=abc; Path=/; HttpOnly', 'pref=dark; Path=/', 'scoped=1'])).toBeNull();
		expect(await cookieHeaderFor(state, '/api/x')).toBe('scoped=1; sid=abc; pref=dark');
		expect(await request(state, '/api/x', ['pref=light; Path=/'])).toBe('scoped=1; sid=abc; pref=dark');
		expect(await cookieHeaderFor(state, '/')).toBe('sid=abc; pref=light');
		await request(state, '/api/logout', ['sid=; Path=/; Max-Age=0']);
		expect(await cookieHeaderFor(state, '/')).toBe('pref=light');
		expect(await kvNames(cookies)).toEqual(['pref=light', 'scoped=1']);
	});

	it('SameSite decides what a cross-site request carries', async () => {
		const { state } = setup();
		await request(state, '/', ['strict=1; Path=/; SameSite=Strict', 'lax=2; Path=/', 'none=3; Path=/; SameSite=None; Secure']);
		expect(await state.begin(url('/'), { sameSite: false, navigation: true, method: 'GET' }).then((e) => e.cookie)).toBe('lax=2; none=3');
		expect(await state.begin(url('/'), { sameSite: false, navigation: true, method: 'POST' }).then((e) => e.cookie)).toBe('none=3');
		expect(await state.begin(url('/'), SAME).then((e) => e.cookie)).toBe('strict=1; lax=2; none=3');
	});
});

describe('locals', () => {
	it('begin() starts with empty locals', async () => {
		const { state } = setup();
		expect((await state.begin(url('/'), SAME)).locals).toEqual({});
	});

	it('setLocals: every begin() gets a deep copy, so mutating one does not leak to the next request', async () => {
		const { state } = setup();
		const value = { user: { name: 'ada', roles: ['admin'] }, count: 1 };
		await state.setLocals(value);
		value.user.roles.push('changed-after-set');
		const first = await state.begin(url('/'), SAME);
		expect(first.locals).toEqual({ user: { name: 'ada', roles: ['admin'] }, count: 1 });
		(first.locals.user as { roles: string[] }).roles.push('leak');
		(first.locals.user as { name: string }).name = 'mallory';
		first.locals.count = 99;
		first.locals.extra = true;
		const second = await state.begin(url('/'), SAME);
		expect(second.locals).toEqual({ user: { name: 'ada', roles: ['admin'] }, count: 1 });
		expect(second.locals).not.toBe(first.locals);
		expect(second.locals.user).not.toBe(first.locals.user);
	});

	it('setLocals persists across a new client state over the same meta KV', async () => {
		const { state, cookies, meta } = setup();
		await state.setLocals({ theme: 'dark', nested: { n: [1, 2] } });
		const restarted = setup({ cookies, meta });
		const exchange = await restarted.state.begin(url('/'), SAME);
		expect(exchange.locals).toEqual({ theme: 'dark', nested: { n: [1, 2] } });
		(exchange.locals.nested as { n: number[] }).n.push(3);
		expect((await restarted.state.begin(url('/'), SAME)).locals).toEqual({ theme: 'dark', nested: { n: [1, 2] } });
		// A state that loaded its locals before setLocals sees the new ones after.
		await restarted.state.setLocals({ theme: 'light' });
		expect((await restarted.state.begin(url('/'), SAME)).locals).toEqual({ theme: 'light' });
	});
});

describe('reset', () => {
	it('reset(page) empties the jar, the KV and the locals, and deletes the page cookies', async () => {
		const { state, cookies, meta } = setup();
		const page = new FakePage().write('own', 'x');
		await state.setLocals({ user: 'ada' });
		await request(state, '/api/login', ['sid=abc; Path=/; HttpOnly', 'pref=dark; Path=/', 'scoped=1'], page);
		expect(page.value('pref')).toBe('dark');
		expect(page.value('scoped', '/api')).toBe('1');

		await state.reset(page);
		expect(await state.jarCookies()).toEqual([]);
		expect(await cookies.entries()).toEqual([]);
		expect(await meta.entries()).toEqual([]);
		expect(page.jar.size).toBe(0);
		expect(page.deletes).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'own', path: '/' }),
				expect.objectContaining({ name: 'pref', path: '/' }),
				expect.objectContaining({ name: 'scoped', path: '/api' }),
			]),
		);
		expect(page.deletes.map((d) => d.name)).not.toContain('sid');
		const exchange = await state.begin(url('/api/x'), SAME, page);
		expect(exchange.cookie).toBeNull();
		expect(exchange.locals).toEqual({});
		const restarted = setup({ cookies, meta });
		const again = await restarted.state.begin(url('/api/x'), SAME);
		expect(again.cookie).toBeNull();
		expect(again.locals).toEqual({});
	});

	it("reset(page) whose getAll() rejects still empties the KV and deletes the jar's page-visible cookies there", async () => {
		const { state, cookies, meta } = setup();
		const page = new FakePage();
		await state.setLocals({ user: 'ada' });
		await request(state, '/', ['pref=dark; Path=/', 'sid=abc; Path=/; HttpOnly'], page);
		page.failGetAll = true;
		await expect(state.reset(page)).resolves.toBeUndefined();
		expect(await state.jarCookies()).toEqual([]);
		expect(await cookies.entries()).toEqual([]);
		expect(await meta.entries()).toEqual([]);
		expect(page.deletes).toEqual([{ name: 'pref', path: '/', domain: null }]);
		expect(page.has('pref')).toBe(false);
		// A restarted worker does not bring the cookies back.
		expect(await cookieHeaderFor(setup({ cookies, meta }).state, '/')).toBeNull();
	});

	it('reset() without a page empties the jar, the KV and the locals', async () => {
		const { state, cookies, meta } = setup();
		await state.setLocals({ a: 1 });
		await request(state, '/', ['a=1; Path=/']);
		await state.reset();
		expect(await state.jarCookies()).toEqual([]);
		expect(await cookies.entries()).toEqual([]);
		expect(await meta.get('locals')).toBeUndefined();
		expect((await state.begin(url('/'), SAME)).locals).toEqual({});
	});
});

describe('storage failures', () => {
	it('a KV whose setMany rejects makes finish() reject', async () => {
		const kv = createMemoryKv<JarCookie>();
		const failing: KeyValueStore<JarCookie> = { ...kv, setMany: () => Promise.reject(new Error('QuotaExceededError')) };
		const { state } = setup({ cookies: failing, meta: createMemoryKv() });
		const exchange = await state.begin(url('/api/login'), SAME, new FakePage());
		await expect(exchange.finish(['sid=abc; Path=/; HttpOnly'])).rejects.toThrow('QuotaExceededError');
		expect(await kv.entries()).toEqual([]);
	});

	it('a KV whose delMany rejects makes finish() reject for a deletion', async () => {
		const kv = createMemoryKv<JarCookie>();
		const { state } = setup({ cookies: { ...kv, delMany: () => Promise.reject(new Error('delMany failed')) }, meta: createMemoryKv() });
		await request(state, '/', ['a=1; Path=/']);
		const exchange = await state.begin(url('/'), SAME);
		await expect(exchange.finish(['a=; Path=/; Max-Age=0'])).rejects.toThrow('delMany failed');
	});

	it('a KV that cannot be read makes begin() reject, and a later begin() tries again', async () => {
		const kv = createMemoryKv<JarCookie>();
		await kv.set('example.com;/;a', {
			name: 'a',
			value: '1',
			domain: 'example.com',
			hostOnly: true,
			path: '/',
			expires: null,
			secure: false,
			httpOnly: false,
			sameSite: 'unspecified',
			created: NOW,
		});
		let fail = true;
		const flaky: KeyValueStore<JarCookie> = { ...kv, entries: () => (fail ? Promise.reject(new Error('IDB closed')) : kv.entries()) };
		const { state } = setup({ cookies: flaky, meta: createMemoryKv() });
		await expect(state.begin(url('/'), SAME)).rejects.toThrow('IDB closed');
		fail = false;
		expect((await state.begin(url('/'), SAME)).cookie).toBe('a=1');
	});

	it('after a failed save the jar in memory does not run ahead of storage', async () => {
		const kv = createMemoryKv<JarCookie>();
		let fail = true;
		const flaky: KeyValueStore<JarCookie> = { ...kv, setMany: (items) => (fail ? Promise.reject(new Error('QuotaExceededError')) : kv.setMany(items)) };
		const { state } = setup({ cookies: flaky, meta: createMemoryKv() });
		const exchange = await state.begin(url('/'), SAME);
		await expect(exchange.finish(['sid=abc; Path=/; HttpOnly'])).rejects.toThrow('QuotaExceededError');
		fail = false;
		// The response carrying the cookie was a 500; the next request must not send it.
		expect(await cookieHeaderFor(state, '/')).toBeNull();
	});
});

describe('a copy into the page that failed', () => {
	it('is retried, and the cookie is not taken as deleted by the page meanwhile', async () => {
		const { state, cookies } = setup();
		const page = new FakePage();
		page.failSet = true;
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		await request(state, '/', ['theme=dark; Path=/'], page);
		expect(page.has('theme')).toBe(false);
		page.failSet = false;
		// The page lacks the cookie only because the copy failed: it stays in the jar and is copied again.
		expect(await cookieHeaderFor(state, '/', page)).toBe('theme=dark');
		expect(page.value('theme')).toBe('dark');
		expect(await kvNames(cookies)).toEqual(['theme=dark']);
		// Once copied, a page that deletes it deletes it.
		await page.delete({ name: 'theme', path: '/' });
		expect(await cookieHeaderFor(state, '/', page)).toBeNull();
		expect(await kvNames(cookies)).toEqual([]);
	});
});
