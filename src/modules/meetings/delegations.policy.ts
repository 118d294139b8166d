import { has, type Actor } from '../../platform/policy.js';

/** The partner an invitation is for: a country or an organisation. */
export interface Partner {
  countryCode: string | null;
  organisationId: number | null;
}

/** Whether the actor is a focal point bound to this partner. */
export function speaksFor(actor: Actor | null, partner: Partner): boolean {
  if (!actor || !has(actor, 'admin.access') || !has(actor, 'delegation.nominate')) return false;
  if (partner.countryCode !== null) return actor.countryCode === partner.countryCode;
  return partner.organisationId !== null && actor.organisationId === partner.organisationId;
}

/**
 * Who may do what with a meeting's invitations, decided on the loaded invitation. Organisers
 * (`registration.manage`) invite partners, set and change their seats, withdraw an invitation,
 * and act for any delegation. A focal point (`delegation.nominate`, bound to a country or an
 * organisation) sees only their own partner's invitations, nominates its delegates, names the head
 * of delegation and attaches the nomination letter; never another partner's.
 */
export function delegationAbilities(actor: Actor | null, invitation: Partner) {
  const organiser = has(actor, 'admin.access') && has(actor, 'registration.manage');
  const own = speaksFor(actor, invitation);
  return { view: organiser || own, nominate: organiser || own, head: organiser || own, letter: organiser || own, seats: organiser, withdraw: organiser, registrations: organiser };
}

/** What the back-office lists for the actor: every meeting's invitations (organisers), or their partner's (focal points). */
export function invitationListAbilities(actor: Actor | null) {
  return {
    manage: has(actor, 'admin.access') && has(actor, 'registration.manage'),
    own: !!actor && has(actor, 'admin.access') && has(actor, 'delegation.nominate') && (actor.countryCode !== null || actor.organisationId !== null),
  };
}
