// Every button's data is defined once (src/engine/callback-codec.ts) and must fit Telegram's 64
// bytes with the longest values its fields allow, read back to what was written, and refuse
// anything else: garbage, a cut-off button, or another feature's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES, type AnyCallbackCodec } from '../../src/engine/callback-codec.js';
import { formMark, sceneMark, stepCallbacks } from '../../src/engine/callback-data.js';
import { FEATURES } from '../../src/features/index.js';
import { missionCallbacks, missionStaffCallbacks } from '../../src/features/volunteer/callbacks.js';
import { grantCallbacks } from '../../src/features/grant/callbacks.js';
import { broadcastCallbacks } from '../../src/features/broadcast/callbacks.js';
import { inquiryCallbacks } from '../../src/features/inquiries/callbacks.js';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

const CODECS: AnyCallbackCodec[] = [...stepCallbacks, missionCallbacks, missionStaffCallbacks, grantCallbacks, broadcastCallbacks, inquiryCallbacks];
const restOf = (data: string, prefix: string): string => data.slice(prefix.length + 1);
const GARBAGE = ['', ':', '::::', 'x', 'acc', 'acc:', 'acc:zz', 'info:KMK-1-2', 'ok:' + 'g'.repeat(24), 'rate:Q-2026-000001:6', 'fig:31', 'mv:Q-2026-000001:01', '\u0000', 'é'.repeat(30)];

describe('callback-data codecs', () => {
  it('have one prefix each', () => {
    const prefixes = CODECS.map((c) => c.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  for (const codec of CODECS) {
    describe(`"${codec.prefix}"`, () => {
      it('fit in 64 bytes with the longest values and read back to what was written', () => {
        const cases = codec.worstCases();
        expect(cases.length).toBeGreaterThan(0);
        for (const action of cases) {
          const data = codec.encodeDecoded(action);
          expect(Buffer.byteLength(data, 'utf8'), data).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
          expect(data.startsWith(`${codec.prefix}:`)).toBe(true);
          expect(codec.decode(restOf(data, codec.prefix))).toEqual(action);
        }
      });

      it('refuse garbage, cut-off data and every other codec\'s data', () => {
        for (const junk of GARBAGE) {
          const decoded = codec.decode(junk);
          // Whatever decodes must be exactly what encoding it gives back (no lenient reading).
          if (decoded) expect(codec.encodeDecoded(decoded)).toBe(`${codec.prefix}:${junk}`);
        }
        for (const action of codec.worstCases()) {
          const rest = restOf(codec.encodeDecoded(action), codec.prefix);
          for (let cut = 0; cut < rest.length; cut += 1) {
            const decoded = codec.decode(rest.slice(0, cut));
            if (decoded) expect(codec.encodeDecoded(decoded)).toBe(`${codec.prefix}:${rest.slice(0, cut)}`);
          }
          expect(codec.decode(`${rest}:extra`)).toBeNull();
        }
        for (const other of CODECS.filter((c) => c !== codec)) {
          for (const action of other.worstCases()) {
            const data = other.encodeDecoded(action);
            const decoded = codec.decode(data);
            if (decoded) expect(codec.encodeDecoded(decoded)).toBe(`${codec.prefix}:${data}`);
          }
        }
      });
    });
  }
});

describe("the engine's step buttons", () => {
  const scenes = FEATURES.flatMap((f) => f.scenes ?? []);

  it('carry a mark that differs for every form, so one form\'s old button cannot answer another', () => {
    const marks = scenes.map((scene) => sceneMark(scene.id));
    expect(new Set(marks).size).toBe(scenes.length);
  });

  it('fit the step field with the form\'s mark, every step id and room for a tag of 8', () => {
    for (const scene of scenes) {
      for (const stepId of scene.open((def) => def.steps.map((step) => step.id))) {
        const id = `${formMark({ id: scene.id, startedAt: Date.now() })}.${stepId}.${'x'.repeat(8)}`;
        expect(stepCallbacks[0].decode(`${id}:0`), id).not.toBeNull();
      }
    }
  });
});

describe('a button nobody can read', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('callback-codecs');
  });
  afterAll(async () => {
    await app.close();
  });

  it('gets the stale-button message, for every feature prefix a citizen may tap', async () => {
    await onboard(app, 7301);
    const tap = async (data: string) => {
      await app.send(app.api.callback(7301, data, undefined, { enqueue: false }));
      return app.api.callsOf('answerCallbackQuery', undefined).at(-1)?.payload.text;
    };
    for (const data of ['ms:acc:not-an-id', 'ms:ry:5:' + 'a'.repeat(24), 'gr:info:KMK-1', 'gr:nope', 'iq:rate:Q-2026-000001:9', 'iq:zz']) {
      expect(await tap(data), data).toBe('This button belongs to an earlier question.');
    }
  });
});
