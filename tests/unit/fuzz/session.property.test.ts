// Properties of context.session's storage (sw/core/session.ts): what devalue can
// write comes back; what a store holds that it did not write (IndexedDB is the
// page's to change) never reaches a handler as a throw or as a polluted prototype.
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'devalue';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AstroCookies } from '../../../sw/core/cookies.ts';
import { AstroSession, createMemoryStore, SessionStorageSaveError, type SessionStore } from '../../../sw/core/session.ts';
import { runs } from './runs.ts';

const ID = '0b7e9c1a-3f2d-4c5b-8a6e-1d2f3a4b5c6d';
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** One request: a session over the Cookie header, `fn` as the endpoint, then the end-of-request write. */
async function request<T>(store: SessionStore, cookie: string | null, fn: (session: AstroSession) => T | Promise<T>) {
	const cookies = new AstroCookies(cookie);
	const session = new AstroSession(cookies, {}, store);
	const result = await fn(session);
	await session.persist();
	return { result, session };
}

/** Everything a handler may ask of a session, as values (iterables spread). */
async function readAll(session: AstroSession) {
	return {
		get: await session.get('k'),
		has: await session.has('k'),
		keys: [...(await session.keys())],
		values: [...(await session.values())],
		entries: [...(await session.entries())],
	};
}

/** Values devalue stringifies: the JSON kinds plus Date, Map, Set, BigInt, undefined, -0, NaN, sparse arrays, null prototypes, typed arrays. */
const storable = fc
	.anything({
		maxDepth: 3,
		withBigInt: true,
		withDate: true,
		withMap: true,
		withSet: true,
		withNullPrototype: true,
		withSparseArray: true,
		withTypedArray: true,
		withBoxedValues: true,
		key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')),
	})
	.filter((value) => {
		try {
			// An Invalid Date never equals another under strict comparison: its own case below.
			return !stringify(value).includes('["Date",""]');
		} catch {
			return false;
		}
	});

/** What devalue makes of a stored string, or undefined when it refuses it. */
function parsed(raw: string): unknown {
	try {
		return parse(raw, { URL: (href: string) => new URL(href) });
	} catch {
		return undefined;
	}
}

afterEach(() => {
	expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
	expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
});

describe('session values', () => {
	it('any value devalue can stringify comes back equal in the next request', async () => {
		await fc.assert(
			fc.asyncProperty(storable, fc.string({ minLength: 1, maxLength: 8 }), async (value, key) => {
				const store = createMemoryStore();
				const first = await request(store, null, (s) => s.set(key, value));
				const id = first.session.sessionID!;
				const { result } = await request(store, `astro-session=${id}`, (s) => s.get(key));
				// Node's strict comparison: prototypes, boxed values, -0 and holes count.
				expect(isDeepStrictEqual(result, value), `${stringify(result)} vs ${stringify(value)}`).toBe(true);
			}),
			runs(300),
		);
	});

	it('an Invalid Date comes back as an Invalid Date', async () => {
		const store = createMemoryStore();
		const first = await request(store, null, (s) => s.set('k', [new Date(Number.NaN)]));
		const { result } = await request(store, `astro-session=${first.session.sessionID}`, (s) => s.get('k'));
		expect(result).toHaveLength(1);
		expect(result[0]).toBeInstanceOf(Date);
		expect(result[0].getTime()).toBeNaN();
	});

	// JSON.parse('{"__proto__":1}') makes an own `__proto__` key (a request body parsed as
	// JSON can hold one). devalue (6.0.3 here) refuses to stringify it, so set() throws
	// SessionStorageSaveError (a 500); Astro's set() clones through devalue the same way.
	it('documented: a value with an own __proto__ key is refused by set(), as in Astro', async () => {
		const store = createMemoryStore();
		const value = JSON.parse('{"__proto__":{"polluted":true}}');
		await expect(request(store, null, (s) => s.set('k', value))).rejects.toThrow(SessionStorageSaveError);
		expect(store.size()).toBe(0);
	});
});

describe('stored data the session did not write', () => {
	/** A devalue array whose slots point at each other in ways stringify never writes. */
	const devalueShaped = fc
		.array(
			fc.oneof(
				fc.integer({ min: -7, max: 8 }),
				fc.constantFrom('Map', 'Set', 'Date', 'BigInt', 'Object', 'null', 'URL', 'RegExp'),
				fc.string({ maxLength: 4 }),
			),
			{
				maxLength: 6,
			},
		)
		.chain((slots) =>
			fc.array(
				fc.oneof(
					fc.constant(slots),
					fc.integer({ min: -7, max: 8 }),
					fc.string({ maxLength: 4 }),
					fc.dictionary(fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 8 })),
				),
				{
					minLength: 1,
					maxLength: 6,
				},
			),
		)
		.map((slots) => JSON.stringify(slots));
	/** JSON whose object keys include the ones that reach prototypes. */
	const pollutingJson = fc
		.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
		.map(([key, value]) => [
			`{"${key}":{"polluted":true}}`,
			`[{"${key}":1},{"polluted":2},true]`,
			`[["Map",1],{"${key}":2,"data":3},{"polluted":4},true,5]`,
			`[["Map",1,2],"k",{"${key}":3},{"polluted":4},true]`,
			`[{"constructor":1},{"prototype":2},{"polluted":3},true]`,
			JSON.stringify([{ [key]: 1 }, value]),
		]);
	/** Maps that devalue writes but the session never would: entries of every shape. */
	const oddMaps = fc
		.array(
			fc.tuple(
				fc.oneof(fc.constant('k'), fc.string({ maxLength: 3 }), fc.integer()),
				fc.oneof(
					fc.constantFrom(null, undefined, 0, '', 'x', true, [], new Date(0)),
					fc.record(
						{ data: fc.jsonValue(), expires: fc.oneof(fc.constant(undefined), fc.integer(), fc.string(), fc.constant(Number.NaN)) },
						{ requiredKeys: [] },
					),
				),
			),
			{ maxLength: 4 },
		)
		.map((entries) => stringify(new Map(entries)));
	const garbage = fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.json({ maxDepth: 3 }),
		devalueShaped,
		pollutingJson.chain((list) => fc.constantFrom(...list)),
		oddMaps,
		fc.anything({ maxDepth: 2, withMap: true, withSet: true, withDate: true }).map((v) => {
			try {
				return stringify(v);
			} catch {
				return '[]';
			}
		}),
	);

	it('reading never throws; what comes back is a session (fresh, or entries of the stored map)', async () => {
		await fc.assert(
			fc.asyncProperty(garbage, async (raw) => {
				const store = createMemoryStore();
				await store.setItem(ID, raw);
				const { result, session } = await request(store, `astro-session=${ID}`, readAll);
				expect(result.keys.length).toBe(result.values.length);
				expect(result.entries.map(([k]) => k)).toEqual(result.keys);
				for (const key of result.keys) expect(typeof key).toBe('string');
				if (!(parsed(raw) instanceof Map)) {
					// Nothing a session wrote: a fresh session, never the client's id.
					expect(result.keys).toEqual([]);
					expect(session.sessionID).not.toBe(ID);
				}
			}),
			runs(400),
		);
	});

	it('a stored entry that is not an object is dropped: values() and entries() do not throw', async () => {
		const store = createMemoryStore();
		await store.setItem(
			ID,
			stringify(
				new Map<unknown, unknown>([
					['bad', null],
					['n', 5],
					[7, { data: 'numeric key' }],
					['good', { data: 1 }],
				]),
			),
		);
		const { result, session } = await request(store, `astro-session=${ID}`, readAll);
		expect(result).toEqual({ get: undefined, has: false, keys: ['good'], values: [1], entries: [['good', 1]] });
		expect(session.sessionID).toBe(ID);
	});

	it('writing over it never throws and leaves data the next request reads back', async () => {
		await fc.assert(
			fc.asyncProperty(garbage, storable, async (raw, value) => {
				const store = createMemoryStore();
				await store.setItem(ID, raw);
				const { session } = await request(store, `astro-session=${ID}`, async (s) => {
					await s.get('other');
					s.set('k', value);
				});
				const { result } = await request(store, `astro-session=${session.sessionID}`, readAll);
				expect(isDeepStrictEqual(result.get, value), `${stringify(result.get)} vs ${stringify(value)}`).toBe(true);
			}),
			runs(300),
		);
	});
});
