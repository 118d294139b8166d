import { registerMessages } from '../../platform/i18n/i18n.js';
import { searchEn } from './search.catalogue.en.js';
import { searchFr } from './search.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof searchEn, string> {}
}

/** The search module's messages, registered once when the module is first imported. */
registerMessages('search', { en: searchEn, fr: searchFr });
