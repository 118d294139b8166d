import './alerts.catalogue.js';
import type { FastifyInstance } from 'fastify';
import type { DiwanModule } from '../../platform/module.js';
import { alertDigestJob, dailyDigestJob, scheduleDigest } from './alerts.jobs.js';
import { registerAlertRoutes } from './alerts.routes.js';

/** At start, the next daily run of the digests is queued (once, whichever instance starts first). */
function schedule(app: FastifyInstance): void {
  app.addHook('onReady', async () => {
    const at = await scheduleDigest(app.diwan.jobs, app.diwan.config);
    app.log.debug({ at: at.toISOString() }, 'alerts: next digest run queued');
  });
}

/**
 * E-mail alerts on a search or a filtered library list, without an account: double opt-in, a
 * daily digest in the subscriber's language through the job queue, one-click unsubscribe
 * (RFC 8058). Decision 0022.
 */
export const alertsModule: DiwanModule = {
  name: 'alerts',
  publicRoutes(app) {
    registerAlertRoutes(app);
    schedule(app);
  },
  jobs: (ctx) => [dailyDigestJob(ctx), alertDigestJob(ctx)],
};
