import { afterEach, describe, expect, it, vi } from 'vitest';
import { AstroCookies } from '../../sw/core/cookies.ts';
import { AstroSession, createMemoryStore, SessionStorageSaveError, type SessionConfig, type SessionStore } from '../../sw/core/session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '0b7e9c1a-3f2d-4c5b-8a6e-1d2f3a4b5c6d';
const DELETION = 'astro-session=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax';

/** A memory store that records every call made to it. */
function recordingStore() {
	const inner = createMemoryStore();
	const calls: string[] = [];
	const store: SessionStore = {
		getItem: (key) => (calls.push(`get ${key}`), inner.getItem(key)),
		setItem: (key, value) => (calls.push(`set ${key}`), inner.setItem(key, value)),
		removeItem: (key) => (calls.push(`remove ${key}`), inner.removeItem(key)),
	};
	return { store, inner, calls };
}

/** One request: a session over a fresh cookie jar, `fn` as the endpoint, then Astro's finalize. */
async function request<T>(
	store: SessionStore,
	cookie: string | null,
	fn: (session: AstroSession) => T | Promise<T>,
	config: SessionConfig = {},
	options?: { secure?: boolean; maxSize?: number },
) {
	const cookies = new AstroCookies(cookie);
	const session = new AstroSession(cookies, config, store, options);
	const result = await fn(session);
	await session.persist();
	return { result, session, setCookies: [...cookies.headers()] };
}

const sessionCookie = (id: string) => `astro-session=${id}; Path=/; HttpOnly; Secure; SameSite=Lax`;

afterEach(() => {
	vi.useRealTimers();
});

describe('laziness', () => {
	it('does not touch the store or the cookie when reading without a cookie', async () => {
		const { store, calls } = recordingStore();
		const { result, session, setCookies } = await request(store, null, async (s) => [
			await s.get('x'),
			await s.has('x'),
			[...(await s.keys())],
			[...(await s.entries())],
		]);
		expect(result).toEqual([undefined, false, [], []]);
		expect(session.sessionID).toBeUndefined();
		expect(calls).toEqual([]);
		expect(setCookies).toEqual([]);
	});

	it('reads but does not write when a known session is only read', async () => {
		const { store, inner, calls } = recordingStore();
		const first = await request(inner, null, (s) => s.set('a', 1));
		const id = first.session.sessionID!;
		const { result, setCookies } = await request(store, `astro-session=${id}`, (s) => s.get('a'));
		expect(result).toBe(1);
		expect(calls).toEqual([`get ${id}`]);
		expect(setCookies).toEqual([]);
	});
});

describe('cookie-identified sessions', () => {
	it('increments a counter across requests under the same id', async () => {
		const store = createMemoryStore();
		const incr = async (s: AstroSession) => {
			const count = ((await s.get('count')) ?? 0) + 1;
			s.set('count', count);
			return count;
		};
		const first = await request(store, null, incr);
		const id = first.session.sessionID!;
		expect(first.result).toBe(1);
		expect(id).toMatch(UUID);
		expect(first.setCookies).toEqual([sessionCookie(id)]);
		expect(store.size()).toBe(1);

		const second = await request(store, `astro-session=${id}`, incr);
		expect(second.result).toBe(2);
		expect(second.session.id).toBe(id);
		expect(second.setCookies).toEqual([sessionCookie(id)]);
		expect(store.size()).toBe(1);
		expect((await request(store, `astro-session=${id}`, (s) => s.get('count'))).result).toBe(2);
	});

	it('replaces an unknown id with a fresh one', async () => {
		const { store, inner, calls } = recordingStore();
		const read = await request(store, `astro-session=${UNKNOWN_ID}`, (s) => s.get('a'));
		expect(read.result).toBeUndefined();
		expect(read.session.sessionID).toMatch(UUID);
		expect(read.session.sessionID).not.toBe(UNKNOWN_ID);
		expect(read.setCookies).toEqual([]);
		expect(inner.size()).toBe(0);

		calls.length = 0;
		const write = await request(store, `astro-session=${UNKNOWN_ID}`, (s) => s.set('a', 1));
		const id = write.session.sessionID!;
		expect(id).not.toBe(UNKNOWN_ID);
		expect(write.setCookies).toEqual([sessionCookie(id)]);
		// persist() re-reads the new id's stored data before writing its changes over it.
		expect(calls).toEqual([`get ${UNKNOWN_ID}`, `get ${id}`, `set ${id}`]);
	});

	it.each([
		['not-a-uuid'],
		['0b7e9c1a-3f2d-1c5b-8a6e-1d2f3a4b5c6d'], // version 1
		['0b7e9c1a-3f2d-4c5b-ca6e-1d2f3a4b5c6d'], // bad variant
		['0b7e9c1a-3f2d-4c5b-8a6e-1d2f3a4b5c6'], // too short
		['../../etc/passwd'],
	])('treats the malformed cookie %j as no cookie', async (value) => {
		const { store, inner, calls } = recordingStore();
		await inner.setItem(value, 'corrupt-or-foreign');
		const read = await request(store, `astro-session=${encodeURIComponent(value)}`, (s) => s.get('a'));
		expect(read.result).toBeUndefined();
		expect(read.session.sessionID).toBeUndefined();
		expect(calls).toEqual([]);

		const write = await request(store, `astro-session=${encodeURIComponent(value)}`, (s) => s.set('a', 1));
		expect(write.session.sessionID).toMatch(UUID);
		expect(write.setCookies).toEqual([sessionCookie(write.session.sessionID!)]);
	});

	it('treats corrupt stored data as a fresh session', async () => {
		for (const corrupt of ['{not json', '[1,2', '["Set",1]', '"just a string"', '[{"a":5}]']) {
			const store = createMemoryStore();
			await store.setItem(UNKNOWN_ID, corrupt);
			const read = await request(store, `astro-session=${UNKNOWN_ID}`, (s) => s.get('a'));
			expect(read.result).toBeUndefined();
			const write = await request(store, `astro-session=${UNKNOWN_ID}`, (s) => s.set('a', 1));
			const id = write.session.sessionID!;
			expect(id).not.toBe(UNKNOWN_ID);
			expect((await request(store, `astro-session=${id}`, (s) => s.get('a'))).result).toBe(1);
		}
	});
});

describe('values', () => {
	it('round-trips devalue types through the store and clones on set', async () => {
		const store = createMemoryStore();
		const nested = { list: [1, 'two', { three: 3n }], when: new Date('2024-05-06T07:08:09.010Z') };
		const value = {
			date: new Date('2020-01-02T03:04:05.006Z'),
			map: new Map<unknown, unknown>([
				['k', new Set([1, 2])],
				[1, null],
			]),
			set: new Set(['a', 'b']),
			url: new URL('https://example.com/a?b=c#d'),
			big: 12345678901234567890n,
			re: /a+b/gi,
			undef: undefined,
			nested,
		};
		const first = await request(store, null, (s) => {
			s.set('value', value);
			nested.list.push('mutated after set');
		});
		const { result } = await request(store, `astro-session=${first.session.sessionID}`, (s) => s.get('value'));
		expect(result).toEqual({ ...value, nested: { ...nested, list: [1, 'two', { three: 3n }] } });
		expect(result.url).toBeInstanceOf(URL);
		expect(result.url.href).toBe('https://example.com/a?b=c#d');
		expect(result.map.get('k')).toEqual(new Set([1, 2]));
		expect('undef' in result).toBe(true);
		expect(result.re.flags).toBe('gi');
	});

	it('lists values and entries', async () => {
		const { result } = await request(createMemoryStore(), null, async (s) => {
			s.set('a', 1);
			s.set('b', [2]);
			return [[...(await s.keys())], [...(await s.values())], [...(await s.entries())]];
		});
		expect(result).toEqual([
			['a', 'b'],
			[1, [2]],
			[
				['a', 1],
				['b', [2]],
			],
		]);
	});

	class Point {
		constructor(public x: number) {}
	}
	it.each([
		['a function', () => 1],
		['a class instance', new Point(1)],
		['a symbol', Symbol('s')],
		['a nested function', { deep: [{ fn() {} }] }],
	])('rejects %s synchronously with SessionStorageSaveError', async (_label, value) => {
		const store = createMemoryStore();
		const { setCookies } = await request(store, null, (s) => {
			let error: unknown;
			try {
				s.set('bad', value);
			} catch (err) {
				error = err;
			}
			expect(error).toBeInstanceOf(SessionStorageSaveError);
			expect((error as Error).name).toBe('SessionStorageSaveError');
			expect((error as Error).message).toContain('"bad"');
			expect((error as Error).message).toContain('devalue');
		});
		expect(setCookies).toEqual([]);
		expect(store.size()).toBe(0);
	});

	it.each([[''], [undefined], [42]])('rejects the key %j', (key) => {
		const session = new AstroSession(new AstroCookies(null), {}, createMemoryStore());
		expect(() => session.set(key as string, 1)).toThrow(SessionStorageSaveError);
	});
});

describe('ttl', () => {
	it('expires entries after the per-call ttl or the configured ttl', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
		const store = createMemoryStore();
		const config = { ttl: 60 };
		const first = await request(
			store,
			null,
			(s) => {
				s.set('short', 1, { ttl: 10 });
				s.set('configured', 2);
				s.set('long', 3, { ttl: 3600 });
			},
			config,
		);
		const cookie = `astro-session=${first.session.sessionID}`;
		const read = () => request(store, cookie, async (s) => [...(await s.entries())], config);

		vi.setSystemTime(new Date('2025-01-01T00:00:10Z'));
		expect((await read()).result).toEqual([
			['short', 1],
			['configured', 2],
			['long', 3],
		]);
		vi.setSystemTime(new Date('2025-01-01T00:00:11Z'));
		expect((await read()).result).toEqual([
			['configured', 2],
			['long', 3],
		]);
		vi.setSystemTime(new Date('2025-01-01T00:01:01Z'));
		expect((await read()).result).toEqual([['long', 3]]);
		vi.setSystemTime(new Date('2025-01-01T01:00:01Z'));
		expect((await read()).result).toEqual([]);
	});
});

describe('lifecycle', () => {
	it('regenerate keeps the data under a new id and removes the old one', async () => {
		const { store, inner, calls } = recordingStore();
		const old = (await request(inner, null, (s) => s.set('user', 'ada'))).session.sessionID!;
		const { session, setCookies } = await request(store, `astro-session=${old}`, (s) => s.regenerate());
		const id = session.sessionID!;
		expect(id).toMatch(UUID);
		expect(id).not.toBe(old);
		expect(setCookies).toEqual([sessionCookie(id)]);
		expect(calls).toEqual([`get ${old}`, `get ${id}`, `set ${id}`, `remove ${old}`]);
		expect(inner.size()).toBe(1);
		expect((await request(store, `astro-session=${id}`, (s) => s.get('user'))).result).toBe('ada');
		expect((await request(store, `astro-session=${old}`, (s) => s.get('user'))).result).toBeUndefined();
	});

	it('destroy removes the data and deletes the cookie with the same attributes', async () => {
		const store = createMemoryStore();
		const id = (await request(store, null, (s) => s.set('user', 'ada'))).session.sessionID!;
		const { result, session, setCookies } = await request(store, `astro-session=${id}`, async (s) => {
			s.destroy();
			return s.get('user');
		});
		expect(result).toBeUndefined();
		expect(session.sessionID).toBeUndefined();
		expect(setCookies).toEqual([DELETION]);
		expect(store.size()).toBe(0);
	});

	it('destroy after set() in the same request, then set() again, starts a new session', async () => {
		const store = createMemoryStore();
		const { session, setCookies } = await request(store, null, (s) => {
			s.set('a', 1);
			s.destroy();
			s.set('b', 2);
		});
		const id = session.sessionID!;
		expect(setCookies).toEqual([sessionCookie(id)]);
		const { result } = await request(store, `astro-session=${id}`, async (s) => [...(await s.entries())]);
		expect(result).toEqual([['b', 2]]);
		expect(store.size()).toBe(1);
	});

	it('load(id) switches to a stored session and points the cookie at it', async () => {
		const store = createMemoryStore();
		const saved = (await request(store, null, (s) => s.set('cart', ['book']))).session.sessionID!;
		const mine = (await request(store, null, (s) => s.set('cart', ['pen']))).session.sessionID!;
		const { result, setCookies } = await request(store, `astro-session=${mine}`, async (s) => {
			await s.load(saved);
			return [s.sessionID, await s.get('cart')];
		});
		expect(result).toEqual([saved, ['book']]);
		expect(setCookies).toEqual([sessionCookie(saved)]);
	});

	it('load(id) of an id with no data keeps the id with an empty session', async () => {
		const store = createMemoryStore();
		const current = (await request(store, null, (s) => s.set('a', 1))).session.sessionID!;
		const { result, setCookies } = await request(store, `astro-session=${current}`, async (s) => {
			expect(await s.get('a')).toBe(1);
			await s.load(UNKNOWN_ID);
			return [s.sessionID, [...(await s.keys())]];
		});
		expect(result).toEqual([UNKNOWN_ID, []]);
		expect(setCookies).toEqual([sessionCookie(UNKNOWN_ID)]);
		expect(store.size()).toBe(1);
	});

	it('delete() without loading merges with the stored data at persist time', async () => {
		const { store, inner, calls } = recordingStore();
		const id = (await request(inner, null, (s) => (s.set('a', 1), s.set('b', 2), s.set('c', 3)))).session.sessionID!;
		await request(store, `astro-session=${id}`, (s) => {
			s.delete('a');
			s.delete('b');
			s.set('b', 'again');
		});
		expect(calls).toEqual([`get ${id}`, `get ${id}`, `set ${id}`]);
		const { result } = await request(inner, `astro-session=${id}`, async (s) => [...(await s.entries())]);
		expect(result).toEqual([
			['b', 'again'],
			['c', 3],
		]);
	});

	it('persist() does nothing when nothing changed, and rejects when the store fails', async () => {
		const { store, inner, calls } = recordingStore();
		await request(store, null, (s) => s.delete('x'));
		expect(calls).toEqual([]);
		// a delete in a session the store does not know writes nothing under the replacement id
		await request(store, `astro-session=${UNKNOWN_ID}`, (s) => s.delete('x'));
		expect(calls).toEqual([`get ${UNKNOWN_ID}`]);
		expect(inner.size()).toBe(0);

		const failing: SessionStore = { ...createMemoryStore(), setItem: () => Promise.reject(new Error('quota')) };
		const session = new AstroSession(new AstroCookies(null), {}, failing);
		session.set('a', 1);
		await expect(session.persist()).rejects.toThrow('quota');
	});
});

describe('cookie configuration', () => {
	it.each<[string, SessionConfig, { secure?: boolean } | undefined, string]>([
		['default', {}, undefined, 'astro-session=ID; Path=/; HttpOnly; Secure; SameSite=Lax'],
		['insecure (dev)', {}, { secure: false }, 'astro-session=ID; Path=/; HttpOnly; SameSite=Lax'],
		['string name', { cookie: 'my_sid' }, undefined, 'my_sid=ID; Path=/; HttpOnly; Secure; SameSite=Lax'],
		['empty string name', { cookie: '' }, undefined, 'astro-session=ID; Path=/; HttpOnly; Secure; SameSite=Lax'],
		[
			'object',
			{ cookie: { name: 'sid', maxAge: 3600, domain: 'example.com', path: '/app', sameSite: 'strict', httpOnly: false } },
			undefined,
			'sid=ID; Max-Age=3600; Domain=example.com; Path=/app; HttpOnly; Secure; SameSite=Strict',
		],
		['object without name', { cookie: { secure: false, partitioned: true } }, undefined, 'astro-session=ID; Path=/; HttpOnly; Partitioned; SameSite=Lax'],
	])('%s', async (_label, config, options, expected) => {
		const { session, setCookies } = await request(createMemoryStore(), null, (s) => s.set('a', 1), config, options);
		expect(setCookies).toEqual([expected.replace('ID', session.sessionID!)]);
	});

	it('reads the session from a custom cookie name', async () => {
		const store = createMemoryStore();
		const config = { cookie: { name: 'sid' } };
		const id = (await request(store, null, (s) => s.set('a', 1), config)).session.sessionID!;
		expect((await request(store, `sid=${id}`, (s) => s.get('a'), config)).result).toBe(1);
		expect((await request(store, `astro-session=${id}`, (s) => s.get('a'), config)).result).toBeUndefined();
	});

	it.each<[SessionConfig]>([[{ cookie: 'my session' }], [{ cookie: { name: 'a;b' } }], [{ cookie: 'sid=1' }]])(
		'rejects the invalid cookie name in %j',
		(config) => {
			const session = new AstroSession(new AstroCookies(null), config, createMemoryStore());
			expect(() => session.set('a', 1)).toThrow(/Invalid session cookie name .* session\.cookie config/);
		},
	);
});

describe('concurrent requests', () => {
	it('fifty requests that each set a different key on one session keep all fifty keys', async () => {
		const store = createMemoryStore();
		// A store that yields between read and write, as IndexedDB does, so writes interleave.
		const slow: SessionStore = {
			getItem: async (k) => (await new Promise((r) => setTimeout(r, Math.random() * 5)), store.getItem(k)),
			setItem: async (k, v) => (await new Promise((r) => setTimeout(r, Math.random() * 5)), store.setItem(k, v)),
			removeItem: (k) => store.removeItem(k),
		};
		const id = (await request(store, null, (s) => s.set('start', true))).session.sessionID!;
		await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				request(slow, `astro-session=${id}`, async (s) => {
					await s.get('start');
					s.set(`k${i}`, i);
				}),
			),
		);
		const { result } = await request(store, `astro-session=${id}`, async (s) => [...(await s.keys())]);
		expect(new Set(result)).toEqual(new Set(['start', ...Array.from({ length: 50 }, (_, i) => `k${i}`)]));
	});

	it('commits the writes that wait for one in progress together: fifty concurrent writes, a few storage writes, each answered after its own committed', async () => {
		const store = createMemoryStore();
		const writes: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		// The first write waits at the gate, so the other 49 queue behind it.
		const held: SessionStore = {
			getItem: (k) => store.getItem(k),
			setItem: async (k, v) => {
				writes.push(v);
				if (writes.length === 1) await gate;
				await store.setItem(k, v);
			},
			removeItem: (k) => store.removeItem(k),
		};
		const id = (await request(store, null, (s) => s.set('start', 0))).session.sessionID!;
		const committed: number[] = [];
		const all = Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				request(held, `astro-session=${id}`, (s) => {
					s.set(`k${i}`, i);
					s.set('last', i);
				}).then(async () => {
					// Answered: its key must be stored already.
					const { result } = await request(store, `astro-session=${id}`, (s) => s.get(`k${i}`));
					expect(result).toBe(i);
					committed.push(i);
				}),
			),
		);
		await vi.waitFor(() => expect(writes).toHaveLength(1));
		release();
		await all;
		expect(committed).toHaveLength(50);
		// The first alone, then the 49 that queued meanwhile in one write.
		expect(writes).toHaveLength(2);
		const { result } = await request(store, `astro-session=${id}`, async (s) => ({ keys: [...(await s.keys())].length, last: await s.get('last') }));
		// For one key, the last writer by arrival wins.
		expect(result).toEqual({ keys: 52, last: 49 });
	});

	it('commits each write of a batch alone when the batch together is past limits.sessionSize: only the one too large fails', async () => {
		const store = createMemoryStore();
		const id = (await request(store, null, (s) => s.set('start', 0))).session.sessionID!;
		const sizes = [100, 100, 900, 100];
		const outcomes = await Promise.all(
			sizes.map((n, i) =>
				request(store, `astro-session=${id}`, (s) => s.set(`k${i}`, 'x'.repeat(n)), {}, { maxSize: 1000 }).then(
					() => 'stored',
					(error: Error) => error.name,
				),
			),
		);
		expect(outcomes).toEqual(['stored', 'stored', 'SessionStorageSaveError', 'stored']);
		const { result } = await request(store, `astro-session=${id}`, async (s) => [...(await s.keys())].sort());
		expect(result).toEqual(['k0', 'k1', 'k3', 'start']);
	});
});
