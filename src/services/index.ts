import type { ServiceDeps } from './service-deps.js';
import { UsersService } from './users.js';
import { AuditService } from './audit.js';
import { StaffService } from './staff.js';
import { CentresService } from './centres.js';
import { VolunteersService } from './volunteers.js';
import { MissionsService } from './missions.js';
import { GrantsService } from './grants.js';
import { BroadcastsService } from './broadcasts.js';
import { InquiriesService } from '../features/inquiries/inquiries.service.js';
import { FaqService } from '../features/inquiries/faq.service.js';

export type { ServiceDeps };

export interface Services {
  users: UsersService;
  audit: AuditService;
  staff: StaffService;
  centres: CentresService;
  volunteers: VolunteersService;
  missions: MissionsService;
  grants: GrantsService;
  broadcasts: BroadcastsService;
  inquiries: InquiriesService;
  faq: FaqService;
}

export function createServices(deps: ServiceDeps): Services {
  const users = new UsersService(deps);
  const audit = new AuditService(deps);
  const staff = new StaffService(deps, users, audit);
  const centres = new CentresService(deps);
  const volunteers = new VolunteersService(deps);
  const missions = new MissionsService(deps, volunteers, audit);
  const grants = new GrantsService(deps, audit);
  const broadcasts = new BroadcastsService(deps, audit);
  const inquiries = new InquiriesService(deps, audit);
  const faq = new FaqService(deps);
  return { users, audit, staff, centres, volunteers, missions, grants, broadcasts, inquiries, faq };
}
