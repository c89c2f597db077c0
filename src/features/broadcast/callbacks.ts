import { defineCallbacks, field } from '../../engine/callback-codec.js';

/** The Cancel button under a broadcast's progress message or a scheduled announcement. */
export const broadcastCallbacks = defineCallbacks('bc', {
  cancel: { tag: 'cancel', fields: { broadcastId: field.objectId() } },
});
