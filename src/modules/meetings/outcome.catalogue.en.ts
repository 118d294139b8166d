/** A held meeting's participation: the messages in English (ICU MessageFormat). */
export const outcomeEn = {
  "outcome.title": "Who took part",
  "outcome.figures": "{participants, plural, one {# participant} other {# participants}} from {countries, plural, =0 {no country} one {# country} other {# countries}}{organisations, plural, =0 {} one { and # organisation} other { and # organisations}}",
  "outcome.regions": "{african, plural, one {# African delegation} other {# African delegations}} and {european, plural, one {# European delegation} other {# European delegations}}",
  "outcome.gender": "{women, plural, one {# woman} other {# women}} and {men, plural, one {# man} other {# men}} (among those who said)",
  "outcome.counted": "Counted from the participants checked in at the meeting.",
  "outcome.list": "{count, plural, one {The participant who agreed to be named} other {The # participants who agreed to be named}}",
  "outcome.name": "Name",
  "outcome.function": "Function",
  "outcome.delegation": "Delegation",
} satisfies Record<string, string>;
