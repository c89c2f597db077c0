import { Schema, type Connection } from 'mongoose';
import type { AppDeps } from './types.js';

/**
 * Staff access: roles and the regions and inquiry topics they cover.
 *
 * MINIMAL STAND-IN written by the inquiries branch against the shared contract; the "access"
 * branch owns this file and replaces it at merge. Admins (ADMIN_IDS) have every role and no
 * limits; staff have the roles and scope of their StaffAccess record, or every non-admin role
 * without limits when they have none; everybody else is a citizen (null).
 */
export type StaffRole = 'admin' | 'reviewer' | 'coordinator' | 'broadcaster' | 'operator';
export type Permission = 'grants.review' | 'grants.export' | 'missions.manage' | 'broadcasts.send' | 'staff.manage' | 'inquiries.answer';

export interface Access {
  roles: StaffRole[];
  /** null = every region */
  regions: string[] | null;
  /** inquiry topics, null = all */
  topics: string[] | null;
}

const PERMISSION_ROLES: Record<Permission, StaffRole[]> = {
  'grants.review': ['admin', 'reviewer'],
  'grants.export': ['admin', 'reviewer'],
  'missions.manage': ['admin', 'coordinator'],
  'broadcasts.send': ['admin', 'broadcaster'],
  'staff.manage': ['admin'],
  'inquiries.answer': ['admin', 'operator'],
};

export function allows(access: Access | null, permission: Permission, scope: { region?: string; topic?: string } = {}): boolean {
  if (!access) return false;
  if (!access.roles.some((role) => PERMISSION_ROLES[permission].includes(role))) return false;
  if (access.roles.includes('admin')) return true;
  if (scope.region !== undefined && access.regions !== null && !access.regions.includes(scope.region)) return false;
  if (scope.topic !== undefined && access.topics !== null && !access.topics.includes(scope.topic)) return false;
  return true;
}

const staffAccessSchema = new Schema(
  {
    userId: { type: Number, required: true, unique: true },
    roles: { type: [String], default: [] },
    regions: { type: [String], default: null },
    topics: { type: [String], default: null },
  },
  { versionKey: false, collection: 'staffaccess' },
);

const build = (connection: Connection) => connection.model('StaffAccess', staffAccessSchema);
type StaffAccessModel = ReturnType<typeof build>;
export const staffAccessModel = (connection: Connection): StaffAccessModel =>
  (connection.models.StaffAccess as StaffAccessModel | undefined) ?? build(connection);

const FULL_STAFF: StaffRole[] = ['reviewer', 'coordinator', 'broadcaster', 'operator'];

/** Read fresh on every call: a staff member who just lost access loses it at once. */
export async function accessFor(deps: Pick<AppDeps, 'config' | 'services' | 'connection'>, userId: number): Promise<Access | null> {
  if (deps.config.ADMIN_IDS.includes(userId)) return { roles: ['admin', ...FULL_STAFF], regions: null, topics: null };
  if (!(await deps.services.users.isStaff(userId))) return null;
  const record = await staffAccessModel(deps.connection)
    .findOne({ userId })
    .lean<{ roles?: string[]; regions?: string[] | null; topics?: string[] | null }>();
  if (!record) return { roles: [...FULL_STAFF], regions: null, topics: null };
  return {
    roles: (record.roles ?? []).filter((r): r is StaffRole => ['admin', ...FULL_STAFF].includes(r)),
    regions: record.regions ?? null,
    topics: record.topics ?? null,
  };
}

/** Sets a staff member's roles and scope (used by tests and by the staff-admin feature). */
export async function setAccess(connection: Connection, userId: number, access: Access): Promise<void> {
  await staffAccessModel(connection).updateOne({ userId }, { $set: { ...access } }, { upsert: true });
}
