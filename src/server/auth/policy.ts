/**
 * Authorization, declared per entity and action in one place. Routes call `authorize`; the API also
 * returns `permissionsFor` with the data so the web app hides what a user cannot do.
 */
import { forbidden } from '../errors.ts';
import type { Actor, Role } from '../context.ts';

export const ACTIONS = {
  firm: ['read', 'update', 'create'],
  profile: ['read', 'update'],
  user: ['read', 'manage'],
  campaign: ['read', 'create', 'assess', 'review', 'reopen', 'export', 'import'],
  evidence: ['read', 'upload', 'delete'],
  deficiency: ['read', 'create', 'update', 'verify'],
  check: ['read', 'run', 'schedule'],
  audit: ['read', 'export', 'verify'],
  inspection: ['read', 'record'],
  report: ['read'],
} as const;
export type Entity = keyof typeof ACTIONS;
export type Action<E extends Entity = Entity> = (typeof ACTIONS)[E][number];
export type Permission = `${Entity}:${string}`;

const ALL_READ: Permission[] = [
  'firm:read', 'profile:read', 'campaign:read', 'evidence:read', 'deficiency:read', 'check:read', 'audit:read',
  'inspection:read', 'report:read', 'campaign:export',
];

/** What each role may do within a firm it belongs to. */
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  firm_admin: [
    ...ALL_READ, 'firm:update', 'profile:update', 'user:read', 'user:manage', 'campaign:create', 'campaign:reopen',
    'campaign:import', 'evidence:upload', 'evidence:delete', 'deficiency:create', 'deficiency:update', 'check:run', 'check:schedule',
    'audit:export', 'audit:verify',
  ],
  ciso: [
    ...ALL_READ, 'profile:update', 'user:read', 'campaign:create', 'campaign:assess', 'campaign:review',
    'campaign:reopen', 'campaign:import', 'evidence:upload', 'evidence:delete', 'deficiency:create', 'deficiency:update',
    'deficiency:verify', 'check:run', 'check:schedule', 'audit:export', 'audit:verify',
  ],
  assessor: [...ALL_READ, 'campaign:assess', 'campaign:import', 'evidence:upload', 'deficiency:create', 'deficiency:update', 'check:run'],
  reviewer: [...ALL_READ, 'campaign:review', 'deficiency:verify', 'deficiency:update'],
  auditor: [...ALL_READ, 'audit:export', 'audit:verify'],
  inspector: [...ALL_READ, 'inspection:record', 'deficiency:create', 'audit:export', 'audit:verify'],
};

export const PLATFORM_ADMIN_EXTRA: Permission[] = ['firm:create'];

export function permissionsFor(actor: Actor, firmId: string | null): Permission[] {
  if (actor.isPlatformAdmin) {
    return [...new Set([...Object.values(ROLE_PERMISSIONS).flat(), ...PLATFORM_ADMIN_EXTRA])];
  }
  if (firmId === null) {
    return [];
  }
  const roles = actor.roles.get(firmId) ?? [];
  return [...new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]))];
}

export function can(actor: Actor, permission: Permission, firmId: string | null): boolean {
  return permissionsFor(actor, firmId).includes(permission);
}

/** Throws FORBIDDEN unless the actor holds the permission in that firm. */
export function authorize(actor: Actor, permission: Permission, firmId: string | null): void {
  if (!can(actor, permission, firmId)) {
    throw forbidden(`${permission} is not allowed${firmId ? ` in firm ${firmId}` : ''}`);
  }
}

/** Roles whose holders must use multi-factor login (CSIM 7.(2) b.(e)). */
export const MFA_REQUIRED_ROLES: Role[] = ['firm_admin', 'ciso', 'inspector'];
