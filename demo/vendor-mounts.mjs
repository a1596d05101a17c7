// Folders served beside the demo's build output, as the static server's `mounts`:
// esbuild-wasm for the playground (demo/public/playground/). It comes from
// node_modules rather than public/, because everything in public/ is precached
// and its esbuild.wasm alone is 11 MB.
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** URL paths under the site's base → folders on disk (see `mounts` in testing/static-server.mjs). */
export const vendorMounts = {
	'vendor/esbuild-wasm/': path.dirname(require.resolve('esbuild-wasm/package.json')),
};
