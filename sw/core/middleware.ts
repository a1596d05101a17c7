// `astro:middleware` for sw-endpoints: `defineMiddleware` and `sequence`, with
// Astro 7's semantics (core/middleware/sequence.ts). The build resolves the
// `astro:middleware` import of user code to this file.
import type { APIContext, MiddlewareHandler, MiddlewareNext, RewritePayload } from './types.ts';
import { PIPELINE } from './types.ts';

/** Identity helper that types a middleware function (as Astro's). */
export function defineMiddleware(fn: MiddlewareHandler): MiddlewareHandler {
	return fn;
}

/**
 * Runs middleware one after another; `next(payload)` in one of them rewrites the
 * request for the ones after it. Unlike the outermost level, an inner handler that
 * calls `next()` but returns nothing hands `undefined` to the one before it.
 */
export function sequence(...handlers: Array<MiddlewareHandler | undefined | null | false>): MiddlewareHandler {
	const list = handlers.filter((h): h is MiddlewareHandler => !!h);
	if (list.length === 0) return (_ctx, next) => next();
	return (context, next) => {
		let carried: RewritePayload | undefined;
		const apply = (i: number, ctx: APIContext): ReturnType<MiddlewareHandler> =>
			list[i](ctx, (async (payload?: RewritePayload) => {
				if (i === list.length - 1) return next(payload ?? carried);
				if (payload) {
					await ctx[PIPELINE].rewriteInPlace(ctx, payload);
					carried = payload;
				}
				return apply(i + 1, ctx);
			}) as MiddlewareNext);
		return apply(0, context);
	};
}
