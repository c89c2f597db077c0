// Attack 2: forged, truncated, oversized, foreign and unicode callback data, tapped by a citizen
// (and, for the engine's buttons, inside a form). Nothing may crash, dead-letter, open a staff
// scene or queue an export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { grantCallbacks } from '../../src/features/grant/callbacks.js';
import { inquiryCallbacks } from '../../src/features/inquiries/callbacks.js';
import { missionCallbacks } from '../../src/features/volunteer/callbacks.js';
import { broadcastCallbacks } from '../../src/features/broadcast/callbacks.js';
import { stepCallbacks } from '../../src/engine/callback-data.js';

const F24 = 'f'.repeat(24);
const FORGED = [
  '', ':', '::::', 'x', 'iq', 'iq:', 'iq:go', 'iq:go:', 'iq:go:grant-export', 'iq:go:grant-review', 'iq:go:broadcast-compose',
  'iq:go:__proto__', 'iq:go:constructor', 'iq:rate:Q-2026-000001:99999999999999999999', 'iq:rate:Q-2026-000001:-1',
  'iq:rate:Q-2026-000001:1e3', 'iq:rate:Q-2026-000001:٣', 'iq:fig:7', 'iq:fig:07', 'iq:mv:Q-2026-000001:-1', 'iq:mv:Q-2026-000001:999',
  'iq:take:Q-2026-000001', 'iq:view:Q-2026-000001', 'iq:faq:Q-2026-000001', 'iq:reply:Q-2026-000001', 'iq:close:Q-2026-000001',
  `bc:cancel:${F24}`, 'bc:cancel:$where', `ms:acc:${F24}`, `ms:ry:24:${F24}`, `ms:ry:-24:${F24}`, 'gr:info:KMK-2026-000001',
  'gr:info:KMK-2026-000001:extra', 'a:mode:0', 'a:mode:-1', 'a:mode:99999999999999999999', 'a:ｍode:0', 't:x:0', 'd:x',
  'n:back', 'n:__proto__', 'lang:xx', 'lang:__proto__', 'lang:', 'm:grant-export', 'm:broadcast-compose', 'm:__proto__', 'm:constructor',
  'r:continue', 'r:restart', 'x'.repeat(64), 'x'.repeat(300), `iq:go:${'a'.repeat(200)}`, 'iq:go:grant-hub\u0000', 'iq:go:gränt',
  '😀:😀', '\u202Eiq:go:my-data', 'iq:go:my-data\n', 'm:grant-export:m:grant-export',
];

describe('attack: forged callback data from a citizen', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  let exportsQueued = 0;
  beforeAll(async () => {
    delivery = new RecordingDelivery();
    delivery.exportGrants = async () => {
      exportsQueued += 1;
      return 'queued';
    };
    app = await createSceneHarness('atk_forged_cb', { delivery });
  });
  afterAll(async () => app?.close());

  it('every forged button gets an answer, no crash, no staff scene, no export', async () => {
    const chat = 6401;
    await onboard(app, chat);
    for (const data of FORGED) {
      await app.send(app.api.callback(chat, data, undefined, { enqueue: false }));
      const out = app.drain(chat).join('\n');
      expect(out, JSON.stringify(data)).not.toMatch(/Something went wrong|sorry/i);
      expect(out, JSON.stringify(data)).not.toMatch(/Export|masked|In full|announcement/i);
    }
    expect(exportsQueued).toBe(0);
    expect(await app.bot.mailbox.deadLetters()).toEqual([]);
  });

  it('codecs refuse over-long, overflowing, negative and unicode values', () => {
    expect(inquiryCallbacks.decode('rate:Q-2026-000001:99999999999999999999')).toBeNull();
    expect(inquiryCallbacks.decode('rate:Q-2026-000001:0')).toBeNull();
    expect(inquiryCallbacks.decode('rate:Q-2026-000001:-0')).toBeNull();
    expect(inquiryCallbacks.decode('rate:Q-2026-000001: 5')).toBeNull();
    expect(inquiryCallbacks.decode('rate:Q-2026-000001:٥')).toBeNull();
    expect(inquiryCallbacks.decode('mv:Q-2026-000001:1000')).toBeNull();
    expect(inquiryCallbacks.decode('go:grant-hub:extra')).toBeNull();
    expect(inquiryCallbacks.decode('go:GRANT-HUB')).toBeNull();
    expect(grantCallbacks.decode('info:KMK-2026-0000011')).toBeNull();
    expect(grantCallbacks.decode('info:KMK-2026-00000１')).toBeNull();
    expect(missionCallbacks.decode(`acc:${'F'.repeat(24)}`)).toBeNull();
    expect(broadcastCallbacks.decode(`cancel:${F24}:`)).toBeNull();
    // other feature's data under this prefix
    expect(inquiryCallbacks.decode(`acc:${F24}`)).toBeNull();
    expect(missionCallbacks.decode('ok:' + F24)).toBeNull();
    for (const codec of stepCallbacks) {
      expect(codec.decode('x:1000')).toBeNull();
      expect(codec.decode('x:-1')).toBeNull();
      expect(codec.decode('x:0x1')).toBeNull();
    }
  });

  it('an int field has one wire form per value (no leading zeros)', () => {
    expect(inquiryCallbacks.decode('rate:Q-2026-000001:005')).toBeNull();
  });
});
