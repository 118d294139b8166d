import type { lettersEn } from './letters.catalogue.en.js';

/** Lettres d’appui pour le visa : les messages en français (ICU MessageFormat), mêmes clés que l’anglais. */
export const lettersFr: Record<keyof typeof lettersEn, string> = {
  "letters.visa.title": "Lettre d’appui pour une demande de visa",
  "letters.visa.one": "Lettre d’appui pour le visa (PDF)",
  "letters.visa.all": "lettres d’appui pour le visa (PDF)",
  "letters.visa.secretariat": "Secrétariat",
  "letters.visa.reference": "Référence : {reference}",
  "letters.visa.to": "Aux autorités consulaires concernées,",
  "letters.visa.body": "Le secrétariat confirme que la personne nommée ci-dessous est inscrite, et acceptée, pour participer à : {meeting}, à {place}, {dates}.",
  "letters.visa.name": "Nom",
  "letters.visa.nationality": "Nationalité",
  "letters.visa.passport": "Numéro de passeport",
  "letters.visa.expiry": "Passeport valable jusqu’au",
  "letters.visa.function": "Fonction",
  "letters.visa.delegation": "Délégation",
  "letters.visa.request": "Nous vous serions reconnaissants de bien vouloir délivrer à temps le visa nécessaire à ce déplacement.",
  "letters.visa.costs": "Cette lettre confirme uniquement la participation ; elle n’engage le secrétariat à aucune dépense sauf accord distinct.",
  "letters.visa.sign": "Pour le secrétariat",
};
