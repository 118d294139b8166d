import { registerMessages } from '../../platform/i18n/i18n.js';
import { pagesEn } from './pages.catalogue.en.js';
import { pagesFr } from './pages.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof pagesEn, string> {}
}

/** The pages module's messages, registered once when the module is first imported. */
registerMessages('pages', { en: pagesEn, fr: pagesFr });
