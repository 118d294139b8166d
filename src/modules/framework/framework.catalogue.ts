import { registerMessages } from '../../platform/i18n/i18n.js';
import { frameworkEn } from './framework.catalogue.en.js';
import { frameworkFr } from './framework.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof frameworkEn, string> {}
}

/** The framework module's messages, registered once when the module is first imported. */
registerMessages('framework', { en: frameworkEn, fr: frameworkFr });
