// Astro's CSRF protection for unsafe methods (`security.checkOrigin`), as its
// origin-check middleware runs it: packages/astro/src/core/app/origin-check.ts.
import { NativeResponse } from './native.ts';
import { isSafeMethod } from './static-files.ts';
import type { APIContext } from './types.ts';

const FORM_LIKE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** The 403 for a cross-site form submission, or `undefined` when the request may pass. */
export function originCheck(ctx: APIContext): Response | undefined {
	const { request, url } = ctx;
	if (ctx.isPrerendered || isSafeMethod(request.method)) return undefined;
	const sameOrigin = request.headers.get('origin') === url.origin;
	const type = request.headers.get('content-type');
	const blocked = type === null ? !sameOrigin : !sameOrigin && FORM_LIKE.some((t) => type.toLowerCase().includes(t));
	if (!blocked) return undefined;
	return new NativeResponse(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
}
