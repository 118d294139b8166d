import type { listsEn } from './lists.catalogue.en.js';

/** Listes de participants et attestations : les messages en français (ICU MessageFormat), mêmes clés que l’anglais. */
export const listsFr: Record<keyof typeof listsEn, string> = {
  "lists.title": "Listes des participants :",
  "lists.xlsx": "tableur (XLSX)",
  "lists.csv": "CSV",
  "lists.pdf": "PDF par délégation",
  "lists.certificates": "attestations de participation (PDF)",
  "lists.sheet": "Participants",
  "lists.role": "Rôle",
  "lists.attended": "Présent",
  "lists.registeredAt": "Inscription",
  "lists.attendedAt": "Arrivée",
  "lists.erased": "(informations effacées à la demande)",
  "lists.noDelegation": "Sans délégation",
  "lists.pdf.title": "Liste des participants : {title}",
  "lists.pdf.count": "{count, plural, one {# participant approuvé} other {# participants approuvés}} dans {delegations, plural, one {# délégation} other {# délégations}}",
  "lists.certificate.title": "Attestation de participation",
  "lists.certificate.certifies": "Nous attestons que",
  "lists.certificate.attended": "a participé à : {meeting}",
  "lists.certificate.where": "tenue à {place}, {dates}.",
  "lists.certificate.secretariat": "Le secrétariat du dialogue",
  "lists.certificate.one": "Attestation de participation (PDF)",
};
