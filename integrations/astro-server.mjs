// The server entry point Astro's build asks every adapter for. sw-endpoints has no
// server: the adapter (astro.mjs) builds the on-demand endpoints into the service
// worker, so this entry exports nothing and Astro's server bundle stays empty.
export {};
