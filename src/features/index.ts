import type { Feature } from '../app/types.js';
import { coreFeature } from './core/index.js';
import { myDataFeature } from './my-data/index.js';
import { staffAdminFeature } from './staff-admin/index.js';
import { rehabFeature } from './rehab/index.js';
import { volunteerFeature } from './volunteer/index.js';
import { grantFeature } from './grant/index.js';
import { broadcastFeature } from './broadcast/index.js';
import { inquiriesFeature } from './inquiries/index.js';

const FEATURES_WITH_DATA: Feature[] = [coreFeature, staffAdminFeature, rehabFeature, volunteerFeature, grantFeature, broadcastFeature, inquiriesFeature];

/** Every feature of the bot; "My data" gathers what each of the others holds. */
export const FEATURES: Feature[] = [...FEATURES_WITH_DATA, myDataFeature(FEATURES_WITH_DATA)];
