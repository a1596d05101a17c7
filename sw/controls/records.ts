// The request log: the record of each handled request, built the same in the
// worker and in Node (its console line is sw/protocol/records.ts).
import type { Answered } from '../core/handler.ts';
import type { RequestRecord } from '../protocol/messages.ts';
import { getSetCookie } from '../core/response.ts';

/** The record of one answered request; `what` is the handler's `describe(response)`. */
export function requestRecord(request: Request, response: Response, what: Answered | undefined, time: number, duration: number): RequestRecord {
	const url = new URL(request.url);
	return {
		method: request.method,
		url: request.url,
		path: url.pathname + url.search,
		status: response.status,
		statusText: response.statusText,
		duration: Math.round(duration * 10) / 10,
		route: what?.route ?? null,
		file: what?.file ?? null,
		kind: what?.kind ?? 'endpoint',
		params: { ...what?.params },
		setCookies: getSetCookie(response),
		time,
	};
}
