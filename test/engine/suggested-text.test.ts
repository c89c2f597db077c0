// A text step that offers a suggested text ("Keep this text"), and a summary with one "change"
// button per answer: both generic engine features, driven here without servers.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { CB, formMark } from '../../src/engine/callback-data.js';
import type { SceneState } from '../../src/engine/types.js';
import { engineContext, SceneDriver } from './engine-harness.js';

const received: unknown[] = [];
const title = z.string().trim().min(3, 'test:title.short').refine((t) => !t.includes('secret'), 'test:title.secret');
const answers = z.object({
  draftTitle: z.string(),
  draftBody: z.string().optional(),
  title,
  body: z.string().trim().min(5),
});

// Prompts are keys of a namespace that does not exist, so i18next echoes them; the engine's own
// texts (common:suggest.*) are real.
const form = defineScene(answers, {
  id: 'suggest-form',
  version: 1,
  namespace: 'test',
  titleKey: 'test:title',
  steps: [
    { id: 'title', kind: 'text', prompt: 'test:title.prompt', schema: title, suggest: (a) => a.title ?? a.draftTitle },
    // No draft for the body: the step asks as a plain text step does.
    { id: 'body', kind: 'text', prompt: 'test:body.prompt', schema: z.string().trim().min(5), suggest: (a) => a.body ?? a.draftBody },
    {
      id: 'confirm',
      kind: 'confirm',
      prompt: 'test:confirm.prompt',
      changeButtons: [
        { step: 'title', labelKey: 'test:change-title' },
        { step: 'body', labelKey: 'test:change-body' },
      ],
    },
  ],
  async complete(typed) {
    received.push({ title: typed.title, body: typed.body });
    return { replies: [{ kind: 'text', text: 'done' }] };
  },
});

async function driver(seed: Record<string, unknown> = { draftTitle: 'How to get a wheelchair' }) {
  received.length = 0;
  const d = new SceneDriver(form, await engineContext());
  await d.start(seed);
  return d;
}

describe('a text step with a suggested text', () => {
  it('shows the suggestion in the message with a "Keep this text" button, and keeps it with one tap', async () => {
    const d = await driver();
    const question = d.lastWithButtons();
    expect(question.text).toContain('How to get a wheelchair');
    expect(question.buttons![0]!.map((b) => b.text)).toEqual(['1. Keep this text']);
    await d.tap('Keep this text');
    expect(d.state!.step).toBe('body');
    expect(d.state!.answers.title).toBe('How to get a wheelchair');
    // The tapped question is marked with the answer, in words.
    expect(d.texts().join('\n')).toContain('Your answer: Keep this text');
    // No draft: a plain text step, without the button.
    expect(d.lastWithButtons().buttons!.flat().some((b) => b.text.includes('Keep'))).toBe(false);
  });

  it('keeps it when the button\'s number, label or words are typed', async () => {
    for (const typed of ['1', 'Keep this text', 'keep', 'as is']) {
      const d = await driver();
      await d.say(typed);
      expect(d.state!.answers.title, typed).toBe('How to get a wheelchair');
    }
    const ru = new SceneDriver(form, await engineContext('ru'));
    await ru.start({ draftTitle: 'Как получить коляску' });
    expect(ru.lastWithButtons().buttons![0]![0]!.text).toBe('1. Оставить этот текст');
    await ru.say('оставить как есть');
    expect(ru.state!.answers.title).toBe('Как получить коляску');
  });

  it('takes any other typed text as the answer instead', async () => {
    const d = await driver();
    await d.say('Where to get a wheelchair for a child');
    expect(d.state!.answers.title).toBe('Where to get a wheelchair for a child');
  });

  it('checks a kept suggestion as a typed text: one the schema refuses is asked again with its message', async () => {
    const d = await driver({ draftTitle: 'the secret plan' });
    await d.tap('Keep this text');
    expect(d.state!.step).toBe('title');
    expect(d.state!.answers).not.toHaveProperty('title');
    expect(d.texts()).toContain('title.secret');
    // The same question again, with the suggestion and its button.
    expect(d.lastWithButtons().text).toContain('the secret plan');
    await d.say('ab');
    expect(d.texts()).toContain('title.short');
    await d.say('A public plan');
    expect(d.state!.answers.title).toBe('A public plan');
  });

  it('refuses a "keep" button from another step or a forged index, and nothing is stored', async () => {
    const d = await driver();
    for (const data of [CB.answer(`${formMark(d.state!)}.body`, 0), CB.answer(`${formMark(d.state!)}.title`, 1), CB.answer('title', 0), `a:${formMark(d.state!)}.title:x`]) {
      const out = await d.send({ kind: 'callback', data, queryId: 'q' });
      expect(out.replies.some((r) => r.kind === 'toast')).toBe(true);
      expect(d.state!.step).toBe('title');
      expect(d.state!.answers).not.toHaveProperty('title');
    }
  });

  it('offers no button when the suggestion is empty', async () => {
    const d = await driver({ draftTitle: '   ' });
    expect(d.lastWithButtons().buttons!.flat().some((b) => b.text.includes('Keep'))).toBe(false);
    await d.say('1');
    expect(d.texts()).toContain('title.short');
  });
});

describe('a summary with a "change" button per answer', () => {
  async function atSummary() {
    const d = await driver();
    await d.tap('Keep this text');
    await d.say('Ask the district office.');
    expect(d.state!.step).toBe('confirm');
    return d;
  }

  it('shows submit and one change button per named step, and no "Change an answer" list', async () => {
    const d = await atSummary();
    const summary = d.lastWithButtons();
    expect(summary.text).toContain('How to get a wheelchair');
    expect(summary.text).toContain('Ask the district office.');
    expect(summary.buttons!.slice(0, 3).map((row) => row[0]!.text)).toEqual(['1. Submit', '2. change-title', '3. change-body']);
    expect(summary.buttons!.flat().some((b) => b.text.includes('Change an answer'))).toBe(false);
  });

  it('goes to the step, offers the current answer to keep, and comes back to the summary', async () => {
    const d = await atSummary();
    await d.tap('change-body');
    expect(d.state!.step).toBe('body');
    // The answer written so far is the suggestion now.
    expect(d.lastWithButtons().text).toContain('Ask the district office.');
    await d.say('Ask the district social protection office.');
    expect(d.state!.step).toBe('confirm');
    // Typed too: "2" is the title's change button; keeping it returns to the summary unchanged.
    await d.say('2');
    expect(d.state!.step).toBe('title');
    await d.say('keep');
    expect(d.state!.step).toBe('confirm');
    await d.tap('Submit');
    expect(received).toEqual([{ title: 'How to get a wheelchair', body: 'Ask the district social protection office.' }]);
  });

  it('turns a change of a step that is not there (a tampered session) into the summary again', async () => {
    const d = await atSummary();
    d.state = { ...(d.state as SceneState), shown: [{ value: '__change:nope', label: 'x' }, ...(d.state!.shown ?? [])] };
    const out = await d.say('1');
    expect(out.replies.some((r) => r.kind === 'toast')).toBe(true);
    expect(d.state.step).toBe('confirm');
    expect(received).toHaveLength(0);
  });
});
