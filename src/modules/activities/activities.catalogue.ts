import { registerMessages } from '../../platform/i18n/i18n.js';
import { activitiesEn } from './activities.catalogue.en.js';
import { activitiesFr } from './activities.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof activitiesEn, string> {}
}

/** The activities module's messages, registered once when the module is first imported. */
registerMessages('activities', { en: activitiesEn, fr: activitiesFr });
