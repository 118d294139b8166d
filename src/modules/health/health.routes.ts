import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { NO_STORE } from '../../platform/http/security.js';

/** `/healthz`: the process is up and the database answers. */
export function registerHealthRoutes(app: FastifyInstance): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', NO_STORE);
    try {
      await sql`select 1`.execute(app.diwan.db);
      return reply.send({ status: 'ok', database: 'ok', dialect: app.diwan.config.dialect });
    } catch (err) {
      app.log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', database: 'unreachable' });
    }
  });
}
