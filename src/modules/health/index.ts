import type { DiwanModule } from '../../platform/module.js';
import { registerHealthRoutes } from './health.routes.js';

/** /healthz and /readyz for load balancers and monitors. */
export const healthModule: DiwanModule = { name: 'health', publicRoutes: registerHealthRoutes };
