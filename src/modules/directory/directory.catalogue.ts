import { registerMessages } from '../../platform/i18n/i18n.js';
import { directoryEn } from './directory.catalogue.en.js';
import { directoryFr } from './directory.catalogue.fr.js';

declare module '../../platform/i18n/i18n.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds this module's keys to MessageKey
  interface MessageCatalogue extends Record<keyof typeof directoryEn, string> {}
}

/** The directory module's messages, registered once when the module is first imported. */
registerMessages('directory', { en: directoryEn, fr: directoryFr });
