/** The home page: the module's interface messages in English (ICU MessageFormat), the reference catalogue. */
export const homeEn = {
  "home.title": "The Euro-African Dialogue on Migration and Development",
  "home.intro": "Since 2006, African and European countries have met in the Rabat Process to work together on migration and development. This site keeps the record of their meetings.",
  "home.upcoming": "Upcoming activities",
  "home.upcomingNone": "No upcoming activity has been announced yet.",
  "home.latest": "Latest activities",
  "home.allActivities": "See all activities",
  "home.figures": "The dialogue in figures",
  "home.figure.activities": "{count, plural, one {activity on record} other {activities on record}}",
  "home.figure.ministerials": "{count, plural, one {ministerial conference} other {ministerial conferences}}",
  "home.figure.partners": "{count, plural, one {partner country} other {partner countries}}",
  "home.figure.years": "{count, plural, one {year of dialogue} other {years of dialogue}}",
} satisfies Record<string, string>;
