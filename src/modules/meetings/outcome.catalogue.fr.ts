import type { outcomeEn } from './outcome.catalogue.en.js';

/** La participation à une réunion tenue : les messages en français (ICU MessageFormat), mêmes clés que l’anglais. */
export const outcomeFr: Record<keyof typeof outcomeEn, string> = {
  "outcome.title": "Qui a participé",
  "outcome.figures": "{participants, plural, one {# participant} other {# participants}} venant de {countries, plural, =0 {aucun pays} one {# pays} other {# pays}}{organisations, plural, =0 {} one { et de # organisation} other { et de # organisations}}",
  "outcome.regions": "{african, plural, one {# délégation africaine} other {# délégations africaines}} et {european, plural, one {# délégation européenne} other {# délégations européennes}}",
  "outcome.gender": "{women, plural, one {# femme} other {# femmes}} et {men, plural, one {# homme} other {# hommes}} (parmi les personnes qui l’ont indiqué)",
  "outcome.counted": "Compté à partir des participants accueillis à la réunion.",
  "outcome.list": "{count, plural, one {La personne qui a accepté d’être nommée} other {Les # participants qui ont accepté d’être nommés}}",
  "outcome.name": "Nom",
  "outcome.function": "Fonction",
  "outcome.delegation": "Délégation",
};
