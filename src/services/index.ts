import type { ServiceDeps, ServiceDepsWithRedis } from './service-deps.js';
import { UsersService } from './users.js';
import { AuditService } from './audit.js';
import { StaffService } from '../features/staff-admin/staff.service.js';
import { AccessService } from './access.js';
import { BroadcastAuthority } from '../features/broadcast/broadcast-authority.js';
import { CentresService } from '../features/rehab/centres.service.js';
import { VolunteersService } from '../features/volunteer/volunteers.service.js';
import { MissionsService } from '../features/volunteer/missions.service.js';
import { GrantsService } from '../features/grant/grants.service.js';
import { BroadcastsService } from '../features/broadcast/broadcasts.service.js';
import { InquiriesService } from '../features/inquiries/inquiries.service.js';
import { FaqService } from '../features/inquiries/faq.service.js';

export type { ServiceDeps };

export interface Services {
  users: UsersService;
  audit: AuditService;
  staff: StaffService;
  access: AccessService;
  centres: CentresService;
  volunteers: VolunteersService;
  missions: MissionsService;
  grants: GrantsService;
  broadcasts: BroadcastsService;
  /** Send-time check that a broadcast's author may still send it. */
  broadcastAuthority: BroadcastAuthority;
  inquiries: InquiriesService;
  faq: FaqService;
}

export function createServices(deps: ServiceDepsWithRedis): Services {
  const audit = new AuditService(deps);
  const access = new AccessService(deps, audit);
  const volunteers = new VolunteersService(deps);
  const users = new UsersService(deps, access, [volunteers]);
  const staff = new StaffService(deps, users, audit, access);
  const centres = new CentresService(deps);
  const missions = new MissionsService(deps, volunteers, audit);
  const grants = new GrantsService(deps, audit);
  const broadcasts = new BroadcastsService(deps, audit);
  const broadcastAuthority = new BroadcastAuthority(deps, access, broadcasts);
  const inquiries = new InquiriesService(deps, audit);
  const faq = new FaqService(deps);
  return { broadcastAuthority, users, audit, staff, access, centres, volunteers, missions, grants, broadcasts, inquiries, faq };
}
