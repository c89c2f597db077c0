import { defineCallbacks, field } from '../../engine/callback-codec.js';

/** The grant feature's standalone buttons: "Answer" under a notice asking the applicant for more information. */
export const grantCallbacks = defineCallbacks('gr', {
  moreInfo: { tag: 'info', fields: { ref: field.text(/^KMK-\d{4}-\d{6}$/, 'KMK-9999-999999') } },
});
