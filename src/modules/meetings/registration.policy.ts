import { has, type Actor } from '../../platform/policy.js';

/**
 * Who may do what with a meeting's registrations, decided on the loaded meeting. Organisers and
 * admins (`registration.manage`) see the list, decide and set the seats. Passport details take
 * `registration.read_passport` as well, and each reading is written to the audit log by the route
 * that shows them. A registrant needs no account: their personal link is their authority, over
 * their own registration only. The check-in desk (`registration.check_in`) marks arrivals and
 * prints badges; internal participant lists take `registration.manage`.
 */
export function registrationAbilities(actor: Actor | null, _meeting: { id: number }) {
  const manage = has(actor, 'admin.access') && has(actor, 'registration.manage');
  // Checking people in and printing their badges: organisers, and whoever is given the desk.
  const desk = has(actor, 'admin.access') && has(actor, 'registration.check_in');
  return { view: manage, decide: manage, settings: manage, passport: manage && has(actor, 'registration.read_passport'), checkIn: desk, badges: desk || manage, lists: manage };
}
