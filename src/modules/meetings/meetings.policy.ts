import { has, type Actor } from '../../platform/policy.js';

/**
 * Who may change a meeting's agenda, decided on the loaded meeting. Organisers (`agenda.edit`)
 * build agendas. Otherwise the agenda follows the activity's rights; as it has no review step of
 * its own and a change to a published meeting's agenda is public at once, that takes the right to
 * publish activities, and the right to edit them while the meeting is not published.
 */
export function agendaAbilities(actor: Actor | null, meeting: { workflow: string }) {
  const edit = has(actor, 'agenda.edit') || (meeting.workflow === 'published' ? has(actor, 'activity.publish') : has(actor, 'activity.edit'));
  return { view: has(actor, 'admin.access') && has(actor, 'activity.view_unpublished'), edit };
}
