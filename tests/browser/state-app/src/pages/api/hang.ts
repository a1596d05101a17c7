// Never answers: the request is bounded by limits.timeout (504).
export const GET = () => new Promise<Response>(() => {});
