import { registerMessages } from '../../platform/i18n/i18n.js';
import { alertsEn } from './alerts.catalogue.en.js';
import { alertsFr } from './alerts.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof alertsEn, string> {}
}

/** The alerts' messages, registered once when the module is first imported. */
registerMessages('alerts', { en: alertsEn, fr: alertsFr });
