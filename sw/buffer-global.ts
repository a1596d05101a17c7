// Node's `Buffer` global for endpoint code that uses it (as on Astro's Node
// adapter), injected by the build; esbuild leaves it out of bundles that never
// mention `Buffer`, so other workers pay nothing.
export { Buffer } from 'buffer';
