// The one error class users see, with stable codes. Plain JS so that both the
// build (Node, no compile step) and the worker bundle import the same file.

/**
 * An error with a stable `code` (also its `name`, as Astro's errors have), and the
 * file/line it is about when it comes from a user's source.
 */
export class SwEndpointsError extends Error {
	/**
	 * @param {string} code stable identifier, e.g. `InvalidRouteFileName`; tests assert it
	 * @param {string} message what happened, why, and what to do
	 * @param {{ file?: string, line?: number, column?: number, cause?: unknown }} [where]
	 */
	constructor(code, message, where = {}) {
		super(message, where.cause === undefined ? undefined : { cause: where.cause });
		this.name = code;
		this.code = code;
		this.file = where.file;
		this.line = where.line;
		this.column = where.column;
	}
}

/** Astro's runtime errors that endpoint code can observe, by code → message (Astro 7 wording). */
export const ASTRO_MESSAGES = {
	LocalsReassigned: '`locals` cannot be assigned directly.',
	EndpointDidNotReturnAResponse: 'An endpoint must return either a `Response`, or a `Promise` that resolves with a `Response`.',
	MiddlewareNoDataOrNextCalled:
		'Make sure your middleware returns a `Response` object, either directly or by returning the `Response` from calling the `next` function.',
	MiddlewareNotAResponse: 'Any data returned from middleware must be a valid `Response` object.',
	RewriteWithBodyUsed: 'The request body was already read: `Astro.rewrite()` cannot forward it. Read a `request.clone()` instead.',
	ForbiddenRewrite: 'You tried to rewrite an on-demand route to a prerendered route. This is not allowed.',
	ClientAddressNotAvailable: '`clientAddress` is not available on prerendered routes.',
};

/**
 * Creates one of Astro's runtime errors (name and message as Astro's).
 * @param {keyof typeof ASTRO_MESSAGES} code
 */
export function astroError(code) {
	return new SwEndpointsError(code, ASTRO_MESSAGES[code]);
}
