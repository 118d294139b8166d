import './home.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { registerHomeRoutes } from './home.routes.js';

/** The public home page of each language. */
export const homeModule: DiwanModule = { name: 'home', publicRoutes: registerHomeRoutes };
