// The rules of the outermost middleware call: packages/astro/src/core/middleware/callMiddleware.ts.
// `next()` called and nothing returned → next()'s response; neither → an error;
// anything but a Response → an error.
import { astroError } from './errors.js';
import { NativeResponse } from './native.ts';
import type { APIContext, MiddlewareHandler, MiddlewareNext, RewritePayload } from './types.ts';

export async function callMiddleware(
	onRequest: MiddlewareHandler,
	ctx: APIContext,
	render: (payload?: RewritePayload) => Promise<Response>,
): Promise<Response> {
	let nextCalled = false;
	let nextResult: Promise<Response> | undefined;
	const next: MiddlewareNext = (payload) => {
		nextCalled = true;
		nextResult = render(payload);
		return nextResult;
	};
	const value = await onRequest(ctx, next);
	if (value === undefined) {
		if (nextCalled && nextResult) return nextResult;
		throw astroError(nextCalled ? 'MiddlewareNotAResponse' : 'MiddlewareNoDataOrNextCalled');
	}
	if (!(value instanceof NativeResponse)) throw astroError('MiddlewareNotAResponse');
	return value;
}
