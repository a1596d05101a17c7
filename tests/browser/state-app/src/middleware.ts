import { defineMiddleware } from 'astro:middleware';

// Middleware sees the locals the page set (emulator.setLocals) and adds to them.
export const onRequest = defineMiddleware((context, next) => {
	context.locals.middlewareSaw = context.locals.user ?? null;
	return next();
});
