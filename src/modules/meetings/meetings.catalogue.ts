import { registerMessages } from '../../platform/i18n/i18n.js';
import { meetingsEn } from './meetings.catalogue.en.js';
import { meetingsFr } from './meetings.catalogue.fr.js';
import { registrationEn } from './registration.catalogue.en.js';
import { registrationFr } from './registration.catalogue.fr.js';
import { delegationEn } from './delegations.catalogue.en.js';
import { delegationFr } from './delegations.catalogue.fr.js';
import { attendanceEn } from './attendance.catalogue.en.js';
import { attendanceFr } from './attendance.catalogue.fr.js';
import { outcomeEn } from './outcome.catalogue.en.js';
import { outcomeFr } from './outcome.catalogue.fr.js';
import { listsEn } from './lists.catalogue.en.js';
import { listsFr } from './lists.catalogue.fr.js';
import { lettersEn } from './letters.catalogue.en.js';
import { lettersFr } from './letters.catalogue.fr.js';
import { questionsEn } from './questions.catalogue.en.js';
import { questionsFr } from './questions.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof meetingsEn | keyof typeof registrationEn | keyof typeof delegationEn | keyof typeof attendanceEn | keyof typeof outcomeEn | keyof typeof listsEn | keyof typeof lettersEn | keyof typeof questionsEn, string> {}
}

/** The meetings module’s messages (agenda and registration), registered once when the module is first imported. */
registerMessages('meetings', { en: meetingsEn, fr: meetingsFr });
registerMessages('registration', { en: registrationEn, fr: registrationFr });
registerMessages('delegation', { en: delegationEn, fr: delegationFr });
registerMessages('attendance', { en: attendanceEn, fr: attendanceFr });
registerMessages('outcome', { en: outcomeEn, fr: outcomeFr });
registerMessages('lists', { en: listsEn, fr: listsFr });
registerMessages('letters', { en: lettersEn, fr: lettersFr });
registerMessages('questions', { en: questionsEn, fr: questionsFr });
