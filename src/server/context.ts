/**
 * Who is acting, from where, and the transactions they act in. Tenant work runs as the database role
 * anjian_app with anjian.firm_ids set, so row-level security enforces the same scope as the services.
 */
import type { Database, Queryable } from './db/client.ts';

export type Role = 'firm_admin' | 'ciso' | 'assessor' | 'reviewer' | 'auditor' | 'inspector';
export const ROLES: Role[] = ['firm_admin', 'ciso', 'assessor', 'reviewer', 'auditor', 'inspector'];

export interface Actor {
  userId: string | null;
  email: string | null;
  isPlatformAdmin: boolean;
  /** Roles per firm id. */
  roles: Map<string, Role[]>;
}

export interface RequestContext {
  actor: Actor;
  ip: string | null;
  via: 'api' | 'cli' | 'job' | 'system';
}

export const SYSTEM_ACTOR: Actor = { userId: null, email: 'system', isPlatformAdmin: true, roles: new Map() };

export function systemContext(via: RequestContext['via'] = 'system'): RequestContext {
  return { actor: SYSTEM_ACTOR, ip: null, via };
}

/** Firms the actor may see: its memberships, or every firm for a platform admin. */
export function visibleFirmIds(actor: Actor): string[] | '*' {
  return actor.isPlatformAdmin ? '*' : [...actor.roles.keys()];
}

/** Runs `fn` in a transaction scoped to `firmIds` by row-level security. */
export async function inTenantTransaction<T>(
  db: Database,
  firmIds: string[] | '*',
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL ROLE anjian_app');
    await tx.query("SELECT set_config('anjian.firm_ids', $1, true)", [firmIds === '*' ? '*' : firmIds.join(',')]);
    return fn(tx);
  });
}

/** A transaction for platform tables (users, sessions, catalog), which carry no firm id. */
export async function inPlatformTransaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('anjian.firm_ids', '*', true)");
    return fn(tx);
  });
}
