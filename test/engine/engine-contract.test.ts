// The engine's contract with the scenes: typed answers in, what happens next out.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import type { SceneState } from '../../src/engine/types.js';
import { engineContext, SceneDriver } from './engine-harness.js';

const received: unknown[] = [];
const answers = z.object({
  name: z.string().min(2),
  age: z.number().int().min(18),
  /** A value the scene keeps besides the steps, from the seed. */
  origin: z.string().optional(),
});

// Prompts are keys of a namespace that does not exist, so i18next echoes them.
const form = defineScene(answers, {
  id: 'contract-form',
  version: 1,
  namespace: 'test',
  titleKey: 'test:title',
  steps: [
    { id: 'name', kind: 'text', prompt: 'test:name.prompt', schema: z.string().min(2) },
    {
      id: 'age',
      kind: 'number',
      prompt: 'test:age.prompt',
      schema: z.number().int().min(18),
      // Sent once when the step is reached, never when its question is asked again.
      before: (a) => ({ replies: [{ kind: 'text', text: `preview for ${a.name ?? '?'}` }] }),
    },
    { id: 'confirm', kind: 'confirm', prompt: 'test:confirm.prompt' },
  ],
  async complete(typed) {
    received.push(typed);
    // Typed: no String() or casts needed to use the answers.
    const next = typed.age >= 65 ? 'senior-offer' : 'adult-offer';
    return { replies: [{ kind: 'text', text: `done ${typed.name.toUpperCase()} ${typed.age + 1}` }], next: { scene: next, seed: { from: typed.name } } };
  },
  async backFromStart(draft) {
    return draft.origin ? { scene: draft.origin } : undefined;
  },
});

async function driver(seed: Record<string, unknown> = {}) {
  const d = new SceneDriver(form, await engineContext());
  await d.start(seed);
  return d;
}

describe('engine contract', () => {
  it('hands complete the answers parsed by the scene schema, and returns the next scene with its seed', async () => {
    received.length = 0;
    const d = await driver({ origin: 'start-page', stray: 'not in the schema' });
    await d.say('Aigerim');
    await d.say('70');
    const out = await d.tap('Submit');
    expect(received).toEqual([{ name: 'Aigerim', age: 70, origin: 'start-page' }]);
    expect(out.state).toBeNull();
    expect(out.ended).toBe('completed');
    expect(out.replies.map((r) => (r.kind === 'text' ? r.text : r.kind))).toContain('done AIGERIM 71');
    expect(out.next).toEqual({ scene: 'senior-offer', seed: { from: 'Aigerim' } });
    // The router opens the next scene instead of the menu.
    expect(out.showMenu).toBe(false);
  });

  it('turns down a stored answer that no longer passes the schema and asks its question again', async () => {
    received.length = 0;
    const d = await driver();
    await d.say('Aigerim');
    await d.say('30');
    // As if the session held an answer from an older release, or was tampered with.
    d.state = { ...(d.state as SceneState), answers: { ...d.state!.answers, age: 'thirty' } };
    await d.tap('Submit');
    expect(received).toHaveLength(0);
    expect(d.state.step).toBe('age');
    expect(d.texts().join('\n')).toContain('Please answer it again');
    expect(d.state.answers).not.toHaveProperty('age');
    // Answered again, the user is back at the summary, and then the form completes.
    await d.say('31');
    expect(d.state.step).toBe('confirm');
    await d.tap('Submit');
    expect(received).toEqual([{ name: 'Aigerim', age: 31 }]);
  });

  it('shows hooks only answers that pass: a bad one is dropped before any hook reads it', async () => {
    const d = await driver();
    await d.say('Aigerim');
    d.state = { ...(d.state as SceneState), answers: { name: 42 } };
    await d.repeat();
    expect(d.state.answers).toEqual({});
  });

  it('sends a step preview once on entry, not again when the question is re-asked', async () => {
    const d = await driver();
    await d.say('Aigerim');
    expect(d.texts()).toContain('preview for Aigerim');
    await d.say('twelve');
    expect(d.texts().some((t) => t.startsWith('preview'))).toBe(false);
    await d.say('12');
    expect(d.texts().some((t) => t.startsWith('preview'))).toBe(false);
    await d.repeat();
    expect(d.texts().some((t) => t.startsWith('preview'))).toBe(false);
    // Reached again (Back from the summary), the step is entered anew and previews again.
    await d.say('40');
    await d.back();
    expect(d.state!.step).toBe('age');
    expect(d.texts()).toContain('preview for Aigerim');
  });

  it('names the scene Back leads to from the first step, or leaves to the menu', async () => {
    const seeded = await driver({ origin: 'start-page' });
    const out = await seeded.back();
    expect(out).toMatchObject({ state: null, next: { scene: 'start-page' }, showMenu: false });
    const plain = await driver();
    expect(await plain.back()).toMatchObject({ state: null, ended: 'menu' });
    expect((await plain.start()).next).toBeUndefined();
  });
});
