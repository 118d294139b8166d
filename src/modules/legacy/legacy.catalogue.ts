import { registerMessages } from '../../platform/i18n/i18n.js';
import { legacyEn } from './legacy.catalogue.en.js';
import { legacyFr } from './legacy.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof legacyEn, string> {}
}

/** The legacy module's messages, registered once when the module is first imported. */
registerMessages('legacy', { en: legacyEn, fr: legacyFr });
