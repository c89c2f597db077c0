/**
 * Staff access: who may do what, and where. This module is pure (no I/O) and is the contract the
 * features code against; `AccessService` (src/services/access.ts) reads and writes the records.
 */

export type StaffRole = 'admin' | 'reviewer' | 'coordinator' | 'broadcaster' | 'operator';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'reviewer', 'coordinator', 'broadcaster', 'operator'];

export type Permission =
  | 'grants.review'
  | 'grants.export'
  | 'missions.manage'
  | 'broadcasts.send'
  | 'staff.manage'
  | 'inquiries.answer';
export const PERMISSIONS: readonly Permission[] = [
  'grants.review',
  'grants.export',
  'missions.manage',
  'broadcasts.send',
  'staff.manage',
  'inquiries.answer',
];

/** Inquiry topics an operator may be limited to. */
export const INQUIRY_TOPICS = ['rehab', 'volunteering', 'grants', 'other'] as const;
export type InquiryTopic = (typeof INQUIRY_TOPICS)[number];

export interface Access {
  roles: StaffRole[];
  /** Region keys (src/domain/regions.ts) the member works in; null = every region. */
  regions: string[] | null;
  /** Inquiry topics (operators); null = all. */
  topics: string[] | null;
}

export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  admin: PERMISSIONS,
  reviewer: ['grants.review', 'grants.export'],
  coordinator: ['missions.manage'],
  broadcaster: ['broadcasts.send'],
  operator: ['inquiries.answer'],
};

/** Admins from ADMIN_IDS: every role, no limits. */
export const FULL_ACCESS: Readonly<Access> = Object.freeze({ roles: [...STAFF_ROLES], regions: null, topics: null });

/**
 * Staff records written before roles existed (`role: 'staff'` and no `staffRoles`) are read as
 * what those members could do then: every staff power (review and masked export of grant
 * applications, missions, broadcasts; questions from citizens are included as a staff power of
 * the same kind) in every region and topic. Managing staff was for ADMIN_IDS only, so it is not
 * included. Nothing is rewritten in the database: an admin who edits the member's roles under
 * Staff writes the new form, and until then the member keeps working as before the deploy.
 */
export const LEGACY_STAFF_ACCESS: Readonly<Access> = Object.freeze({
  roles: ['reviewer', 'coordinator', 'broadcaster', 'operator'] as StaffRole[],
  regions: null,
  topics: null,
});

export function permissionsOf(access: Access | null): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of access?.roles ?? []) for (const p of ROLE_PERMISSIONS[role] ?? []) out.add(p);
  return out;
}

/**
 * Whether `access` holds `permission`, and (when a scope is given) whether the region or topic is
 * inside the member's scope. Admins are not limited by regions or topics. Citizens (null) may not.
 */
export function allows(access: Access | null, permission: Permission, scope?: { region?: string; topic?: string }): boolean {
  if (!access) return false;
  if (access.roles.includes('admin')) return true;
  if (!permissionsOf(access).has(permission)) return false;
  if (scope?.region !== undefined && access.regions !== null && !access.regions.includes(scope.region)) return false;
  if (scope?.topic !== undefined && access.topics !== null && !access.topics.includes(scope.topic)) return false;
  return true;
}

/** The regions a member may act in for a permission: null = every region, [] = none. */
export function regionsFor(access: Access | null, permission: Permission): string[] | null {
  if (!allows(access, permission)) return [];
  if (access!.roles.includes('admin')) return null;
  return access!.regions;
}

/** Staff access at all (shows the Staff menu). */
export function isStaffAccess(access: Access | null): access is Access {
  return access !== null && access.roles.length > 0;
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** A stable, comparable form (sorted), for the cache and for audit details. */
export function normalizeAccess(access: Access): Access {
  const sorted = (list: string[] | null) => (list === null ? null : [...new Set(list)].sort());
  return {
    roles: STAFF_ROLES.filter((r) => access.roles.includes(r)),
    regions: sorted(access.regions),
    topics: sorted(access.topics),
  };
}
