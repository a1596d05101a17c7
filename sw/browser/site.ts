// What the browser knows about a request that the worker must supply to the
// server side: whether it is same-site (which SameSite cookies go with it) and,
// for an unsafe method, the `Origin` header (the browser adds both after the worker).

import { isSafeMethod } from '../core/static-files.ts';
import type { RequestSite } from './cookie-jar.ts';

/** The parts of a fetch event's request this needs. */
interface SeenRequest {
	mode: string;
	method: string;
	referrer: string;
	headers: Pick<Headers, 'get'>;
}

/**
 * A fetch event's request → its site and the Origin to send (null: none).
 * A subresource request comes from a page this worker controls: same origin.
 * A navigation is judged by `Sec-Fetch-Site` where the engine gives it to the
 * worker; else by its referrer, and with no referrer (stripped by
 * `<meta name="referrer" content="no-referrer">`, or none to begin with) as
 * cross-site: a browser decides from the initiator, which the worker cannot see,
 * so Strict cookies stay home rather than follow a link from another site.
 */
export function requestSite(request: SeenRequest, selfOrigin: string): { site: RequestSite; origin: string | null } {
	const navigation = request.mode === 'navigate';
	let sameOrigin = true;
	let sameSite = true;
	if (navigation) {
		const fetchSite = request.headers.get('sec-fetch-site');
		if (fetchSite) {
			sameOrigin = fetchSite === 'same-origin';
			sameSite = fetchSite !== 'cross-site';
		} else {
			sameOrigin = sameSite = originOf(request.referrer) === selfOrigin;
		}
	}
	const origin = !isSafeMethod(request.method) && sameOrigin ? selfOrigin : null;
	return { site: { sameSite, navigation, method: request.method }, origin };
}

function originOf(url: string): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}
