import { registerMessages } from '../../platform/i18n/i18n.js';
import { documentsEn } from './documents.catalogue.en.js';
import { documentsFr } from './documents.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof documentsEn, string> {}
}

/** The library's messages, registered once when the module is first imported. */
registerMessages('documents', { en: documentsEn, fr: documentsFr });
