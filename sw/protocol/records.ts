// The request log as every host shows it: a record's console line (the same in
// the page and in Node mode), and the log Node mode and the Playwright fixture keep.
import type { RequestRecord } from './messages.ts';

const STATUS_TEXT: Record<number, string> = {
	0: 'network error',
	200: 'OK',
	201: 'Created',
	204: 'No Content',
	301: 'Moved Permanently',
	302: 'Found',
	304: 'Not Modified',
	307: 'Temporary Redirect',
	308: 'Permanent Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	422: 'Unprocessable Content',
	500: 'Internal Server Error',
	508: 'Loop Detected',
};

/** `[sw-endpoints] 12:04:31 GET /api/posts/1 → 200 OK (3.1 ms) src/pages/api/posts/[id].ts` */
export function formatRecord(record: RequestRecord): string {
	const t = new Date(record.time);
	const clock = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
	const text = record.statusText || STATUS_TEXT[record.status] || '';
	const via = record.kind === 'not-found' ? 'no route' : (record.file ?? record.kind);
	return `[sw-endpoints] ${clock} ${record.method} ${record.path} → ${record.status}${text ? ` ${text}` : ''} (${record.duration} ms) ${via}`;
}

/** The request log a host keeps (Node mode, the Playwright fixture; the page's client streams it only). */
export interface RequestLog {
	/** the requests handled since the last reset(), in order */
	readonly requests: RequestRecord[];
	/** Streams the request log; returns a function that stops listening. */
	on(event: 'request', listener: (record: RequestRecord) => void): () => void;
}
