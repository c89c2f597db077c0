import type { Feature } from '../app/types.js';

// Placeholder until its issue lands.
export const grantFeature: Feature = { id: 'grant' };
