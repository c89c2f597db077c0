// A multi-choice list too long for buttons (who came, for a team of up to 500) is answered by
// typing the numbers, and the typed list replaces the earlier one: it must be read whole.
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../src/engine/read-answer.js';
import type { SceneState, StepContext, StepDef } from '../../src/engine/types.js';

const TEAM = 500;
const step = { id: 'came', kind: 'choice', prompt: 'volunteer:manage.came', options: [], multi: { min: 1 } } as unknown as StepDef;
const state = {
  id: 'mission-manage',
  version: 1,
  step: 'came',
  answers: {},
  history: [],
  shown: Array.from({ length: TEAM }, (_, i) => ({ value: `v${i + 1}`, label: `Volunteer ${i + 1}` })),
} as unknown as SceneState;
const read = (text: string) => readAnswer(step, state, {}, { kind: 'text', text }, {} as StepContext);

describe('a typed list of many numbers', () => {
  it('reads all 500 numbers of a whole team in one message (about 2,400 characters)', () => {
    const all = Array.from({ length: TEAM }, (_, i) => i + 1).join(', ');
    expect(all.length).toBeGreaterThan(2000);
    const result = read(all);
    expect(result.ok).toBe(true);
    expect((result as { value: string[] }).value).toHaveLength(TEAM);
  });

  it('still turns down a text longer than one Telegram message can be, and a number not on the list', () => {
    expect(read('1, '.repeat(1400))).toMatchObject({ ok: false, errorKey: 'errors:too-long' });
    expect(read('3, 501')).toMatchObject({ ok: false });
  });
});
