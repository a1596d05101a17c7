// `sw-endpoints/types`: endpoint files keep `import type { APIRoute } from 'astro'`
// (so they run unchanged on a real Astro server) in a project without Astro.
// One line in any .d.ts file the project's tsconfig includes, e.g. src/sw-endpoints.d.ts:
//
//   /// <reference types="sw-endpoints/types" />
//
// Remove it once Astro itself is installed: its own types take over.
declare module 'astro' {
	export type { APIContext, APIRoute, GetStaticPaths, MiddlewareHandler, MiddlewareNext } from 'sw-endpoints';
}
declare module 'astro:middleware' {
	export { defineMiddleware, sequence } from 'sw-endpoints/middleware';
}
