// Setup of the MSW variants, as MSW documents it for Vitest: listen, reset the
// handlers (and here the sessions) after each test, close after all.
import { afterAll, afterEach } from 'vitest';
import { mark } from './timing.ts';

mark('setupStart');
const { setupServer } = await import('msw/node');
const { handlers, clearSessions } = await import('./msw-handlers.ts');
const server = setupServer(...handlers);
server.listen({ onUnhandledRequest: 'error' });
afterEach(() => {
	server.resetHandlers();
	clearSessions();
});
afterAll(() => server.close());
mark('setupEnd');
