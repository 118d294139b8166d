import type { FastifyReply, FastifyRequest } from 'fastify';
import { guard } from '../../platform/admin/shell.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/http/errors.js';
import { parseId } from '../../platform/http/urls.js';
import { loadMeeting, type AgendaMeeting } from './meetings.repository.js';
import { registrationAbilities } from './registration.policy.js';

type Body = Record<string, unknown>;
export type RegistrationAbilities = ReturnType<typeof registrationAbilities>;

/** A form post's fields (an empty set when there is no body). */
export const bodyOf = (request: FastifyRequest): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {});

/**
 * The meeting a back-office route's `:id` names, loaded, with what the actor may do with its
 * registrations; the route goes on only with the ability it needs (signed out: to the login page;
 * without it: 403; no such meeting: 404).
 */
export async function meetingWithAbility(db: Db, request: FastifyRequest, reply: FastifyReply, need: keyof RegistrationAbilities): Promise<{ meeting: AgendaMeeting; can: RegistrationAbilities } | { denied: FastifyReply }> {
  const id = parseId((request.params as { id?: string }).id);
  if (!id) throw notFound();
  if (!request.actor) return { denied: guard(request, reply, false)! };
  const meeting = await loadMeeting(db, id);
  if (!meeting) throw notFound();
  const can = registrationAbilities(request.actor, meeting);
  const denied = guard(request, reply, can[need]);
  return denied ? { denied } : { meeting, can };
}
