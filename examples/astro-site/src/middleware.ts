// Runs before every on-demand endpoint: names the visitor from their cookie and
// stamps each response. At build time (prerendered pages) there is no visitor.
import { defineMiddleware } from 'astro:middleware';

export const onRequest = defineMiddleware(async (context, next) => {
	if (context.isPrerendered) return next();
	context.locals.visitor = context.cookies.get('name')?.value ?? 'stranger';
	const response = await next();
	response.headers.set('x-answered-by', 'middleware');
	return response;
});
