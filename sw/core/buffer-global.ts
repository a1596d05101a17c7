// Node's `Buffer` global for endpoint code that uses it (as on Astro's Node
// adapter), injected by the build only when a file under src/ mentions Buffer.
export { Buffer } from 'buffer';
