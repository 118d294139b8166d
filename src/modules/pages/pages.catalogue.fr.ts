import type { pagesEn } from './pages.catalogue.en.js';

/** Messages du module (pages statiques) en français. */
export const pagesFr: Record<keyof typeof pagesEn, string> = {
  "admin.nav.pages": "Pages",
  "pages.admin.title": "Pages",
  "pages.admin.back": "Retour aux pages",
  "pages.admin.revisions": "Versions de la page « {title} »",
  "pages.admin.new": "Créer une page",
  "pages.admin.edit": "Modifier la page : {title}",
  "pages.admin.created": "La page a été créée comme brouillon.",
  "pages.field.title": "Titre",
  "pages.field.slug": "Adresse (slug)",
  "pages.field.slugHint": "Des mots de lettres et de chiffres reliés par des tirets, en minuscules, les lettres latines sans accents ; tirée du titre si vide.",
  "pages.field.body": "Texte",
  "pages.field.nav": "Position dans la navigation principale",
  "pages.field.navHint": "Un nombre ; laissez vide pour ne pas afficher la page dans la navigation.",
  "pages.error.nav": "Saisissez la position en nombre entier de 1 à 99, ou laissez vide",
  "pages.error.slugTaken": "Une autre page utilise déjà cette adresse dans cette langue",
  "pages.error.reserved": "Cette adresse est utilisée par le site lui-même : choisissez-en une autre",
  "pages.col.nav": "Dans la navigation",
  "pages.none": "Aucune page pour l’instant.",
  "search.kind.page": "Page",
};
