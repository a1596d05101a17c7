// The request log's records and console line (sw/controls/records.ts), as the worker
// and Node mode build them from the handler's description of a response, and the
// log Node mode and the Playwright fixture keep (sw/protocol/request-log.js).
import { describe, expect, test } from 'vitest';
import { requestRecord } from '../../sw/controls/records.ts';
import { formatRecord } from '../../sw/protocol/records.ts';
import { createRequestLog } from '../../sw/protocol/request-log.js';

const request = new Request('http://localhost:4321/api/posts/1?x=1', { method: 'PUT' });

describe('requestRecord', () => {
	test('names the route, file and params, and keeps every Set-Cookie line', () => {
		const response = new Response(null, {
			status: 201,
			statusText: 'Created',
			headers: [
				['set-cookie', 'a=1; Path=/'],
				['set-cookie', 'b=2; HttpOnly'],
			],
		});
		const record = requestRecord(
			request,
			response,
			{ route: '/api/posts/[id]', file: 'src/pages/api/posts/[id].ts', kind: 'endpoint', params: { id: '1' } },
			1_700_000_000_000,
			3.14159,
		);
		expect(record).toEqual({
			method: 'PUT',
			url: 'http://localhost:4321/api/posts/1?x=1',
			path: '/api/posts/1?x=1',
			status: 201,
			statusText: 'Created',
			duration: 3.1,
			route: '/api/posts/[id]',
			file: 'src/pages/api/posts/[id].ts',
			kind: 'endpoint',
			params: { id: '1' },
			setCookies: ['a=1; Path=/', 'b=2; HttpOnly'],
			time: 1_700_000_000_000,
		});
	});

	test('a copy of the params: a later change to the context does not reach the record', () => {
		const params: Record<string, string | undefined> = { id: '1' };
		const record = requestRecord(request, new Response(), { route: '/api/posts/[id]', file: 'f.ts', kind: 'endpoint', params }, 0, 0);
		params.id = '2';
		expect(record.params).toEqual({ id: '1' });
	});

	test.each([
		[
			'an override (named after its use() call)',
			{ route: '/api/posts/[id]', file: 'use(PUT /api/posts/[id])', kind: 'override' as const, params: { id: '1' } },
			{ kind: 'override', file: 'use(PUT /api/posts/[id])', params: { id: '1' } },
		],
		['nothing matched', { route: null, file: null, kind: 'not-found' as const }, { kind: 'not-found', route: null, params: {} }],
		['no description (a response the handler did not make)', undefined, { kind: 'endpoint', route: null, file: null, params: {} }],
	])('%s', (_name, what, expected) => {
		expect(requestRecord(request, new Response(null, { status: 404 }), what, 0, 0)).toMatchObject(expected);
	});
});

describe('formatRecord', () => {
	const base = requestRecord(
		new Request('http://localhost/api/posts/1'),
		new Response(),
		{ route: '/api/posts/[id]', file: 'src/pages/api/posts/[id].ts', kind: 'endpoint', params: { id: '1' } },
		new Date(2026, 0, 2, 3, 4, 5).getTime(),
		2.5,
	);
	test.each([
		['an endpoint', base, '[sw-endpoints] 03:04:05 GET /api/posts/1 → 200 OK (2.5 ms) src/pages/api/posts/[id].ts'],
		[
			'a reason phrase from the status when the response has none',
			{ ...base, status: 404, statusText: '' },
			'[sw-endpoints] 03:04:05 GET /api/posts/1 → 404 Not Found (2.5 ms) src/pages/api/posts/[id].ts',
		],
		[
			'no route',
			{ ...base, kind: 'not-found' as const, file: null, route: null, status: 404, statusText: '' },
			'[sw-endpoints] 03:04:05 GET /api/posts/1 → 404 Not Found (2.5 ms) no route',
		],
		[
			'a simulated network error',
			{ ...base, kind: 'network-error' as const, file: null, status: 0, statusText: '' },
			'[sw-endpoints] 03:04:05 GET /api/posts/1 → 0 network error (2.5 ms) network-error',
		],
	])('%s', (_name, record, line) => {
		expect(formatRecord(record)).toBe(line);
	});
});

describe('createRequestLog', () => {
	test('keeps and streams records until cleared; a listener stops when asked; other events are refused', () => {
		const log = createRequestLog('the fixture');
		const seen: string[] = [];
		const stop = log.on('request', (r) => seen.push(r.path));
		const record = requestRecord(request, new Response(), undefined, 0, 0);
		log.add(record);
		stop();
		log.add(record);
		expect(seen).toEqual(['/api/posts/1?x=1']);
		expect(log.requests).toHaveLength(2);
		const before = log.requests;
		log.clear();
		expect(log.requests).toEqual([]);
		expect(before).toHaveLength(2);
		expect(() => log.on('update' as 'request', () => {})).toThrow('unknown event "update"; the fixture has "request"');
	});
});
