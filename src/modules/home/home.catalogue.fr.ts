import type { homeEn } from './home.catalogue.en.js';

/** Messages du module (page d’accueil) en français. */
export const homeFr: Record<keyof typeof homeEn, string> = {
  "home.title": "Le dialogue euro-africain sur la migration et le développement",
  "home.intro": "Depuis 2006, des pays d’Afrique et d’Europe se réunissent au sein du Processus de Rabat pour travailler ensemble sur la migration et le développement. Ce site garde la trace de leurs réunions.",
  "home.upcoming": "Activités à venir",
  "home.upcomingNone": "Aucune activité à venir n’a encore été annoncée.",
  "home.latest": "Dernières activités",
  "home.allActivities": "Voir toutes les activités",
  "home.figures": "Le dialogue en chiffres",
  "home.figure.activities": "{count, plural, one {activité recensée} many {d’activités recensées} other {activités recensées}}",
  "home.figure.ministerials": "{count, plural, one {conférence ministérielle} many {de conférences ministérielles} other {conférences ministérielles}}",
  "home.figure.partners": "{count, plural, one {pays partenaire} many {de pays partenaires} other {pays partenaires}}",
  "home.figure.years": "{count, plural, one {année de dialogue} many {d’années de dialogue} other {années de dialogue}}",
};
