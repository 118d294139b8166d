import type { frameworkEn } from './framework.catalogue.en.js';

/** Messages du module (cadres et leurs thèmes) en français. */
export const frameworkFr: Record<keyof typeof frameworkEn, string> = {
  "theme.numbered": "{level} {number} : {name}",
  "level.pillar": "Pilier",
  "level.domain": "Domaine",
  "level.objective": "Objectif",
  "level.action": "Action",
  "level.priority": "Priorité",
};
