// The platform's Response and Request. The build injects its own `Response` into
// every bundled module (response.ts, esbuild `inject`); what the pipeline makes
// itself is the global one, reached through `globalThis`, which inject leaves alone.
export const NativeResponse = globalThis.Response;
export const NativeRequest = globalThis.Request;
