import type { ServiceDeps } from './service-deps.js';

// Placeholder until its feature lands; the feature's issue fills it in.
export class GrantsService {
  constructor(
    protected readonly deps: ServiceDeps,
    ..._others: unknown[]
  ) {}
}
