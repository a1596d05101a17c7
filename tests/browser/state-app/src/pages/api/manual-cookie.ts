// Sets a cookie by hand on the Response: browsers drop it from script-made
// responses, so the worker must capture it before the Response is built.
export const GET = () => new Response('set by hand', { headers: { 'set-cookie': 'manual=yes; Path=/' } });
