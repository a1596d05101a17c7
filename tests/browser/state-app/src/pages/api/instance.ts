// Names the worker instance (module state lives as long as the worker does): a stopped worker answers with a new one.
const instance = Math.random().toString(36).slice(2);
export const GET = () => Response.json({ instance });
