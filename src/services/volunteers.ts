import type { ServiceDeps } from './service-deps.js';

// Placeholder until its feature lands; the feature's issue fills it in.
export class VolunteersService {
  constructor(protected readonly deps: ServiceDeps) {}
}
