import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { Config } from '../config.js';
import { clientNetwork } from './public-forms.js';

/**
 * Per-network limits on the routes that cost the server work for anyone (a search, a filtered
 * list): counted in each process's memory (@fastify/rate-limit), by the network clientNetwork
 * gives, only on requests that reach a handler (a page answered from the cache costs nothing and
 * counts nothing). Past the limit: the "too many requests" page with Retry-After. The sign-in, the
 * reset and the public forms have their own limits in the database, shared by every instance.
 */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => clientNetwork(request),
    // Pages under the limit carry no counters: they may be cached and shared.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
  });
}

/** The options of a search route: SEARCHES_PER_MINUTE per network, counted for each such route apart. */
export function searchRouteOptions(config: Pick<Config, 'searchesPerMinute'>): RouteShorthandOptions {
  return { config: { rateLimit: { max: config.searchesPerMinute, timeWindow: 60_000 } } };
}
