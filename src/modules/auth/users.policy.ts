import { has, type Actor } from '../../platform/policy.js';

/** What an actor may do with accounts; nobody changes their own role or status (no self-lockout, no self-promotion). */
export function userAbilities(actor: Actor | null, target?: { id: number }) {
  const manage = has(actor, 'user.manage');
  const self = !!actor && !!target && actor.id === target.id;
  return { list: manage, invite: manage, edit: manage && !self };
}
