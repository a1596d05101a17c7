// @ts-check
// The site builds to dist/client/, which any static host serves: its on-demand
// endpoints answer from a service worker in the visitor's browser. For a real
// server later, change the adapter line to `adapter: node({ mode: 'standalone' })`
// (import node from '@astrojs/node'); the endpoints stay as they are.
import { defineConfig } from 'astro/config';
import swEndpoints from 'sw-endpoints/astro';

export default defineConfig({
	output: 'static',
	adapter: swEndpoints(),
	session: { cookie: 'site-session' },
});
