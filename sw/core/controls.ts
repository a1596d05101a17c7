// What the pipeline asks of the controls in front of the route table: use()
// overrides, network rules and installed endpoints (sw/controls implements it,
// in development and test builds only).
import type { RouteEntry } from './router.ts';
import type { EndpointModule } from './types.ts';

/** A route made at run time, with its module. */
export interface ControlledRoute extends RouteEntry {
	load: () => Promise<EndpointModule>;
	kind: 'override' | 'installed';
	/** installed endpoints: the methods the module exports */
	methods?: string[];
}

/** The controls as the pipeline consults them, before the route table. */
export interface PipelineControls {
	/** whether any rule is active (the handler's lookup cache is bypassed then) */
	readonly active: boolean;
	route(method: string, pathname: string): { route: ControlledRoute; params: Record<string, string | undefined> } | undefined;
	/** whether a request to `pathname` reaches a control (any method) */
	claims(pathname: string): boolean;
	/** the simulated network for a request: latency, and whether it fails like a broken connection */
	conditions(method: string, pathname: string): { delay: number; fail: boolean };
}
