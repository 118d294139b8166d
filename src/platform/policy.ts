/** Who is acting: a signed-in user with the permissions of their role, bound to a country or organisation for focal points. */
export interface Actor {
  id: number;
  email: string;
  displayName: string;
  role: string;
  permissions: ReadonlySet<string>;
  countryCode: string | null;
  organisationId: number | null;
  lang: string;
}

/** True when the actor's role grants the permission. Policies use this; handlers and views never look at roles. */
export function has(actor: Actor | null | undefined, permission: string): boolean {
  return !!actor && actor.permissions.has(permission);
}
