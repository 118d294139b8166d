/** Visa support letters: the messages in English (ICU MessageFormat). */
export const lettersEn = {
  "letters.visa.title": "Visa support letter",
  "letters.visa.one": "Visa support letter (PDF)",
  "letters.visa.all": "visa support letters (PDF)",
  "letters.visa.secretariat": "Secretariat",
  "letters.visa.reference": "Reference: {reference}",
  "letters.visa.to": "To the consular authorities concerned,",
  "letters.visa.body": "The secretariat confirms that the person named below is registered, and accepted, to take part in {meeting}, in {place}, {dates}.",
  "letters.visa.name": "Name",
  "letters.visa.nationality": "Nationality",
  "letters.visa.passport": "Passport number",
  "letters.visa.expiry": "Passport valid until",
  "letters.visa.function": "Function",
  "letters.visa.delegation": "Delegation",
  "letters.visa.request": "We would be grateful if the visa needed for this journey could be issued in time for the meeting.",
  "letters.visa.costs": "This letter confirms participation only; it does not commit the secretariat to any cost unless agreed separately.",
  "letters.visa.sign": "For the secretariat",
} satisfies Record<string, string>;
