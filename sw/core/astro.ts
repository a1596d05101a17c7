// What `import ... from 'astro'` resolves to inside a sw-endpoints bundle: the
// types endpoints use (value imports from the real package are not available).
export type { APIContext, APIRoute, GetStaticPaths, MiddlewareHandler, MiddlewareNext } from './types.ts';
