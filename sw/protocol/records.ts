// What page and worker (and Node mode) agree on beyond the messages: the request
// log's console line, and the route seed() writes through.
import type { RequestRecord } from './messages.ts';

const STATUS_TEXT: Record<number, string> = { 0: 'network error', 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 422: 'Unprocessable Content', 500: 'Internal Server Error', 508: 'Loop Detected' };

/** `[sw-endpoints] 12:04:31 GET /api/posts/1 → 200 OK (3.1 ms) src/pages/api/posts/[id].ts` */
export function formatRecord(record: RequestRecord): string {
	const t = new Date(record.time);
	const clock = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
	const text = record.statusText || STATUS_TEXT[record.status] || '';
	const via = record.kind === 'not-found' ? 'no route' : record.file ?? record.kind;
	return `[sw-endpoints] ${clock} ${record.method} ${record.path} → ${record.status}${text ? ` ${text}` : ''} (${record.duration} ms) ${via}`;
}

/** The handler source `seed()` installs for one request: writes the given cookies and session values. */
export const SEED_PATH = '/__sw-endpoints/seed';
export const SEED_HANDLER = `async ({ request, cookies, session }) => {
	const data = await request.json();
	for (const [name, value] of Object.entries(data.cookies ?? {})) cookies.set(name, value, { path: '/' });
	const values = Object.entries(data.session ?? {});
	if (values.length && !session) return new Response('seed(): sessions are off in this build (no source under src/ mentions session), so session values cannot be stored', { status: 500 });
	for (const [key, value] of values) session.set(key, value);
	return new Response(null, { status: 204 });
}`;
