import { registerMessages } from '../../platform/i18n/i18n.js';
import { homeEn } from './home.catalogue.en.js';
import { homeFr } from './home.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof homeEn, string> {}
}

/** The home module's messages, registered once when the module is first imported. */
registerMessages('home', { en: homeEn, fr: homeFr });
