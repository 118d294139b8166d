/** Frameworks and their themes: the module's interface messages in English (ICU MessageFormat), the reference catalogue. */
export const frameworkEn = {
  "theme.numbered": "{level} {number}: {name}",
  "level.pillar": "Pillar",
  "level.domain": "Domain",
  "level.objective": "Objective",
  "level.action": "Action",
  "level.priority": "Priority",
} satisfies Record<string, string>;
