import './meetings.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { agendaPdfJob } from './meetings.print.js';
import { registerAgendaAdminRoutes, registerAgendaRoutes } from './meetings.routes.js';
import { registerRegistrationAdminRoutes, registerRegistrationRoutes } from './registration.routes.js';
import { registerDelegationAdminRoutes } from './delegations.routes.js';
import { registerAttendanceAdminRoutes } from './attendance.routes.js';
import { registerQuestionAdminRoutes } from './questions.routes.js';
import { printJob } from './prints.js';
import { invitationListAbilities } from './delegations.policy.js';
import { passportPurgeJob, schedulePurge } from './registration.jobs.js';
import { seedDemoMeeting } from './demo/demo-seeder.js';
import { nextRegistrationClose } from './registration.repository.js';

// What the activity page shows of a meeting's agenda.
export { hasAgenda, meetingTimeZone, practicalOf, type Practical } from './meetings.repository.js';
export { PracticalInfo } from './meetings.views.js';
export { publicRegistration, type PublicRegistration } from './registration.repository.js';
export { RegistrationBlock } from './registration.views.js';
export { meetingOutcome, type MeetingOutcome } from './outcome.repository.js';
export { MeetingOutcomeBlock } from './outcome.views.js';

/**
 * Meetings: the agenda of a meeting (days, sessions with times in the venue's zone, parallel
 * groups, people in roles, documents presented), its public page and its calendar files
 * (decision 0024); registration with seats, a waiting list, personal links and a mail at each step,
 * passport details kept apart and erased after the meeting (decision 0026); delegations invited
 * with seats, their delegates nominated by focal points, open registration by link (decision 0027).
 */
export const meetingsModule: DiwanModule = {
  name: 'meetings',
  nextPublicChange: (db, now, config) => nextRegistrationClose(db, now, config.timeZone),
  async seedDemo(db, config) {
    return [`demo meeting: ${(await seedDemoMeeting(db, config)) ? 'created' : 'kept'}`];
  },
  publicRoutes(app) {
    registerAgendaRoutes(app);
    registerRegistrationRoutes(app);
    // At start, the next daily erasure of passport details past their time is queued.
    app.addHook('onReady', async () => {
      await schedulePurge(app.diwan.jobs, app.diwan.config.timeZone);
    });
  },
  adminRoutes(admin) {
    registerAgendaAdminRoutes(admin);
    registerRegistrationAdminRoutes(admin);
    registerDelegationAdminRoutes(admin);
    registerAttendanceAdminRoutes(admin);
    registerQuestionAdminRoutes(admin);
  },
  adminNav: [{ id: 'delegations', href: '/admin/delegations', label: 'admin.nav.delegations', position: 12, visible: (actor) => invitationListAbilities(actor).own }],
  jobs: (ctx) => [agendaPdfJob(ctx), passportPurgeJob(ctx), printJob(ctx)],
};
