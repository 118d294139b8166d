import type { searchEn } from './search.catalogue.en.js';

/** Recherche sur le site : les messages du module en français. */
export const searchFr: Record<keyof typeof searchEn, string> = {
  "search.title": "Rechercher",
  "search.titleFor": "Recherche : {query}",
  "search.field": "Mots à rechercher",
  "search.button": "Rechercher",
  "search.hint": "Mettez une expression exacte entre guillemets, et un signe moins devant un mot pour l’exclure, par exemple : \"gestion des frontières\" -maritime",
  "search.results": "{count, plural, =0 {Aucun résultat} one {# résultat} many {# de résultats} other {# résultats}} pour « {query} »",
  "search.start": "Saisissez un ou plusieurs mots pour rechercher dans les activités et les pages du dialogue, dans cette langue.",
  "search.nothing": "Aucune activité ni page dans cette langue ne correspond à ces mots. Vérifiez l’orthographe, utilisez moins de mots, ou passez à l’autre langue.",
  "search.onlyExcluded": "Ajoutez un mot à rechercher : les mots précédés d’un signe moins ne font qu’exclure des résultats.",
  "search.onlyStopwords": "Ces mots sont trop courants pour être recherchés seuls : ajoutez un mot plus précis.",
  "search.shortened": "Votre recherche était longue : seuls ses {max} premiers caractères ou {parts} premiers mots ont été utilisés.",
  "search.sort": "Trier par :",
  "search.sort.relevance": "pertinence",
  "search.sort.date": "date, la plus récente d’abord",
  "search.sortButton": "Trier",
  "search.previous": "Résultats précédents",
  "search.next": "Résultats suivants",
  "search.pageOf": "Page {page} sur {pages}",
  "search.pagination": "Pages de résultats",
};
