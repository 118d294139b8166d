import { registerMessages } from '../../platform/i18n/i18n.js';
import { adminEn } from './admin.catalogue.en.js';
import { adminFr } from './admin.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof adminEn, string> {}
}

/** The admin module's messages, registered once when the module is first imported. */
registerMessages('admin', { en: adminEn, fr: adminFr });
