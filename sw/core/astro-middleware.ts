// One entry into the middleware chain for a request state: the rewrite-loop
// guard, the origin check, the user's onRequest, and at the bottom the endpoint
// (after an in-place rewrite when `next(payload)` asked for one). Follows
// AstroMiddleware#handle in packages/astro/src/core/middleware/astro-middleware.ts
// with the bottom of packages/astro/src/core/pages/handler.ts (PagesHandler#handle).
import { callMiddleware } from './call-middleware.ts';
import { renderEndpoint } from './endpoint.ts';
import { NativeResponse } from './native.ts';
import { originCheck } from './origin-check.ts';
import type { Pipeline, RequestState } from './pipeline.ts';
import { PIPELINE, type RewritePayload } from './types.ts';

// The 4th entry into the chain in one request (a third chained ctx.rewrite()) is a loop.
const MAX_ENTRIES = 3;

export async function runMiddleware(pipeline: Pipeline, state: RequestState): Promise<Response> {
	if (++state.entries.count > MAX_ENTRIES) {
		return new NativeResponse('Loop Detected', {
			status: 508,
			statusText: 'Astro detected a loop where you tried to call the rewriting logic more than four times.',
		});
	}
	const user = await pipeline.getMiddleware();
	const bottom = async (payload?: RewritePayload): Promise<Response> => {
		if (payload) {
			await state.ctx[PIPELINE].rewriteInPlace(state.ctx, payload);
		}
		return renderEndpoint(state.ctx, state.route, pipeline.log);
	};
	const { config } = pipeline;
	// Astro checks where `security.checkOrigin` is on and the build's output is 'server'
	// (core/build/plugins/plugin-manifest.ts). An adapter serving requests (the Node adapter's
	// adapterFeatures.buildOutput, integrations/hooks.ts setAdapter) or one on-demand route
	// (core/routing/prerender.ts) makes it 'server' even under `output: 'static'`, and this
	// handler is that server: the check applies in both outputs (verified static-output/*).
	const blocked = config.checkOrigin ? originCheck(state.ctx) : undefined;
	if (blocked) return blocked;
	return user ? callMiddleware(user, state.ctx, bottom) : bottom();
}
