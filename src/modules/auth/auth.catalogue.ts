import { registerMessages } from '../../platform/i18n/i18n.js';
import { authEn } from './auth.catalogue.en.js';
import { authFr } from './auth.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof authEn, string> {}
}

/** The auth module's messages, registered once when the module is first imported. */
registerMessages('auth', { en: authEn, fr: authFr });
