import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { consentAnswer, dateAnswer, locationAnswer } from '../../src/engine/answers.js';
import { engineContext, SceneDriver } from './engine-harness.js';
import { formMark } from '../../src/engine/callback-data.js';

// A scene that uses every input kind; prompts are keys of a namespace that does not exist,
// so i18next echoes them and the assertions can name the step.
const calls: unknown[] = [];
const answers = z.object({
  who: z.enum(['child', 'adult']),
  age: z.number().optional(),
  name: z.string(),
  areas: z.array(z.enum(['a', 'b', 'c'])),
  phone: z.string(),
  where: locationAnswer,
  when: dateAnswer,
  nick: z.string(),
  consent: consentAnswer,
});
const form = defineScene(answers, {
  id: 'test-form',
  version: 1,
  namespace: 'test',
  titleKey: 'test:title',
  draftDays: 7,
  steps: [
    {
      id: 'who',
      kind: 'choice',
      prompt: 'test:who.prompt',
      options: [
        { value: 'child', label: 'Child (under 18)' },
        { value: 'adult', label: 'Adult', aliases: ['взрослый'] },
      ],
    },
    {
      id: 'age',
      kind: 'number',
      prompt: 'test:age.prompt',
      when: (a) => a.who === 'adult',
      schema: z.number().int().min(18, { error: 'errors:text.too-short' }).max(120),
    },
    { id: 'name', kind: 'text', prompt: 'test:name.prompt', schema: z.string().min(2, { error: 'errors:text.too-short' }).max(50) },
    {
      id: 'areas',
      kind: 'choice',
      prompt: 'test:areas.prompt',
      multi: { min: 1, max: 2 },
      options: [
        { value: 'a', label: 'Alpha' },
        { value: 'b', label: 'Beta' },
        { value: 'c', label: 'Gamma' },
      ],
    },
    { id: 'phone', kind: 'phone', prompt: 'test:phone.prompt' },
    { id: 'where', kind: 'location', prompt: 'test:where.prompt', allowRegion: true },
    { id: 'when', kind: 'date', prompt: 'test:when.prompt', withTime: true },
    {
      id: 'nick',
      kind: 'text',
      prompt: 'test:nick.prompt',
      schema: z.string(),
      check: (value) => (value === 'taken' ? { errorKey: 'errors:invalid' } : value === 'stop' ? { end: [{ kind: 'text', text: 'stopped' }] } : undefined),
    },
    { id: 'consent', kind: 'consent', prompt: 'test:consent.prompt', declinedKey: 'test:consent.declined' },
    { id: 'confirm', kind: 'confirm', prompt: 'test:confirm.prompt' },
  ],
  async complete(answers) {
    calls.push(answers);
    return { replies: [{ kind: 'text', text: 'submitted' }] };
  },
});

async function driver(locale: 'en' | 'ru' | 'kk' = 'en') {
  const d = new SceneDriver(form, await engineContext(locale));
  await d.start();
  return d;
}

/** Answers every step up to the consent with valid input. */
async function fillToConsent(d: SceneDriver) {
  await d.tap('Adult');
  await d.say('30');
  await d.say('Aigerim');
  await d.say('1, 2');
  await d.send({ kind: 'contact', phone: '77011234567', ownContact: true });
  await d.say('Караганда');
  await d.say('25.12.2026 14:30');
  await d.say('aika');
}

describe('scene engine', () => {
  it('numbers the options, shows progress and nav buttons', async () => {
    const d = await driver();
    const q = d.lastWithButtons();
    expect(q.text).toMatch(/^Step 1 of 9/);
    expect(q.buttons!.flat().map((b) => b.text)).toEqual(['1. Child (under 18)', '2. Adult', 'Back', 'Main menu', 'Language', 'Cancel']);
  });

  it('accepts a typed number, a typed label, an alias and an unambiguous beginning', async () => {
    for (const typed of ['2', 'adult', '  ADULT ', 'взрослый', 'adu']) {
      const d = await driver();
      await d.say(typed);
      expect(d.state!.answers.who, typed).toBe('adult');
      expect(d.state!.step).toBe('age');
    }
  });

  it('re-asks the same question with an error on bad input, storing nothing', async () => {
    const d = await driver();
    for (const bad of ['7', 'banana', '😀', 'x'.repeat(5000)]) {
      await d.say(bad);
      expect(d.state!.step).toBe('who');
      expect(d.state!.answers).toEqual({});
      expect(d.texts()[0]).toMatch(/tap a button|too long/i);
      expect(d.texts()[1]).toContain('test:who.prompt'.split(':')[1]);
    }
    await d.send({ kind: 'unsupported', media: 'sticker' });
    expect(d.texts()[0]).toContain('cannot read stickers');
    expect(d.state!.step).toBe('who');
  });

  it('marks a tapped answer on its message and moves on', async () => {
    const d = await driver();
    const out = await d.tap('Child');
    expect(out.replies[0]).toMatchObject({ kind: 'edit', messageId: 10 });
    expect((out.replies[0] as { text: string }).text).toContain('Your answer: Child (under 18)');
    expect(d.state!.step).toBe('name');
  });

  it('ignores a tap on an old question with a toast and asks the current one again', async () => {
    const d = await driver();
    await d.tap('Adult');
    const out = await d.send({ kind: 'callback', data: `a:${formMark(d.state!)}.who:0`, queryId: 'q', messageId: 10 });
    expect(out.replies[0]).toMatchObject({ kind: 'toast' });
    expect(d.state!.step).toBe('age');
    expect(d.state!.answers.who).toBe('adult');
  });

  it('validates with the schema and passes count to plural messages', async () => {
    const d = await driver();
    await d.tap('Adult');
    await d.say('abc');
    expect(d.texts()[0]).toContain('Please type a number');
    await d.say('12');
    expect(d.texts()[0]).toContain('at least 18 characters');
    expect(d.state!.step).toBe('age');
    await d.say('1 000');
    expect(d.state!.step).toBe('age');
  });

  it('reads digit groups of three only: "2,5", "1, 2" or "3 0" is no 25, 12 or 30', async () => {
    const d = await driver();
    await d.tap('Adult');
    // A decimal comma (one and a half hours typed as "1,5"), two answers in one, a slip of the thumb.
    for (const typed of ['2,5', '1, 2', '3 0', '19,0']) {
      await d.say(typed);
      expect(d.texts()[0], typed).toContain('Please type a number');
      expect(d.state!.step).toBe('age');
      expect(d.state!.answers.age).toBeUndefined();
    }
    // Grouped thousands are still one number: "1 000" is too many years, "30" is taken.
    await d.say('1 000');
    expect(d.texts()[0]).not.toContain('Please type a number');
    await d.say('30');
    expect(d.state!.answers.age).toBe(30);
  });

  it('turns down a number followed by 2,000 letters at once, not after seconds of matching', async () => {
    const d = await driver();
    await d.tap('Adult');
    for (const typed of [`1${'a'.repeat(1998)}!`, `1 ${'a '.repeat(998)}!`, `${'1a'.repeat(999)}!`]) {
      const started = Date.now();
      await d.say(typed);
      expect(Date.now() - started, typed.slice(0, 12)).toBeLessThan(200);
      expect(d.texts()[0]).toContain('Please type a number');
    }
  });

  it('skips steps whose condition is false and counts progress without them', async () => {
    const d = await driver();
    await d.tap('Child');
    expect(d.state!.step).toBe('name');
    expect(d.lastWithButtons().text).toMatch(/^Step 2 of 9/);
  });

  it('toggles multi-choice answers in place and enforces min and max', async () => {
    const d = await driver();
    await d.tap('Child');
    await d.say('Aigerim');
    await d.tap('Done');
    expect(d.texts()[0]).toContain('at least 1 answer');
    expect(d.lastWithButtons().text).toContain('Nothing is chosen yet.');
    const toggled = await d.tap('Alpha', 42);
    expect(toggled.replies[0]).toMatchObject({ kind: 'edit', messageId: 42 });
    expect(d.state!.selection).toEqual(['a']);
    // The tick is for the eye; the words are for a screen reader.
    const edited = toggled.replies[0] as { text?: string; buttons?: Array<Array<{ text: string }>> };
    expect(edited.text).toContain('Chosen so far: Alpha.');
    expect(edited.buttons?.flat().map((b) => b.text)).toContain('✓ 1. Alpha');
    await d.say('1, 2, 3');
    expect(d.texts()[0]).toContain('no more than 2');
    await d.tap('Beta');
    await d.tap('Done');
    expect(d.state!.answers.areas).toEqual(['a', 'b']);
    expect(d.state!.step).toBe('phone');
  });

  it('reads phones from the contact button or typed, and rejects others', async () => {
    const d = await driver();
    await d.tap('Child');
    await d.say('Aigerim');
    await d.say('1');
    const phoneQ = d.last!.replies.find((r) => r.kind === 'text' && r.keyboard);
    expect(phoneQ).toMatchObject({ keyboard: { rows: [[{ text: 'Share my phone number', requestContact: true }], expect.anything(), expect.anything()] } });
    await d.say('+7 703 123 45 67');
    expect(d.texts()[0]).toContain('mobile number');
    await d.send({ kind: 'contact', phone: '77011234567', ownContact: false });
    expect(d.texts()[0]).toContain('your own number');
    await d.say('8 (701) 123-45-67');
    expect(d.state!.answers.phone).toBe('+77011234567');
    expect(d.last!.replies[0]).toMatchObject({ kind: 'text', keyboard: 'remove' });
  });

  it('reads a location as a point, a typed region or a region button', async () => {
    const d = await driver();
    await d.tap('Child');
    await d.say('Aigerim');
    await d.say('1');
    await d.say('+77011234567');
    await d.say('Atlantis');
    expect(d.texts()[0]).toContain('could not find that region');
    await d.say('Нур-Султан');
    expect(d.state!.answers.where).toEqual({ type: 'region', region: 'astana' });
    await d.back();
    await d.send({ kind: 'location', latitude: 49.8, longitude: 73.1 });
    expect(d.state!.answers.where).toEqual({ type: 'point', latitude: 49.8, longitude: 73.1 });
  });

  it('parses dates in Kazakhstan time and rejects impossible ones', async () => {
    const d = await driver();
    await fillToConsent(d);
    expect(d.state!.answers.when).toBe('2026-12-25T09:30:00.000Z');
    await d.back();
    await d.back();
    expect(d.state!.step).toBe('when');
    await d.say('31.02.2027 10:00');
    expect(d.texts()[0]).toContain('real date');
    expect(d.state!.step).toBe('when');
  });

  it('runs checks: an error re-asks, an end stops the scene', async () => {
    const d = await driver();
    await d.tap('Child');
    await d.say('Aigerim');
    await d.say('1');
    await d.say('+77011234567');
    await d.say('Almaty');
    await d.say('25.12.2026 14:30');
    await d.say('taken');
    expect(d.state!.step).toBe('nick');
    expect(d.state!.answers.nick).toBeUndefined();
    const out = await d.say('stop');
    expect(out).toMatchObject({ state: null, ended: 'refused' });
    expect(d.texts()).toEqual(['stopped']);
  });

  it('ends without storing anything when consent is declined', async () => {
    const d = await driver();
    await fillToConsent(d);
    const out = await d.tap('I do not agree');
    expect(out.ended).toBe('declined');
    expect(out.state).toBeNull();
  });

  it('summarises, edits one answer from the summary and returns to it, then submits once', async () => {
    calls.length = 0;
    const d = await driver();
    await fillToConsent(d);
    await d.tap('I agree');
    expect(d.state!.step).toBe('confirm');
    const summary = d.lastWithButtons().text;
    expect(summary).toContain('Aigerim');
    expect(summary).toContain('+7 701 123 45 67');
    expect(summary).toContain('Karaganda');
    await d.tap('Change an answer');
    await d.say('3'); // the third field in the list: name
    expect(d.state!.step).toBe('name');
    await d.say('Aigerim Bek');
    expect(d.state!.step).toBe('confirm');
    expect(d.lastWithButtons().text).toContain('Aigerim Bek');
    const done = await d.tap('Submit');
    expect(done.ended).toBe('completed');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ who: 'adult', age: 30, name: 'Aigerim Bek', areas: ['a', 'b'] });
  });

  it("refuses another form's old Submit, and this form's from an earlier run, on this form's summary (every form has a 'confirm' step)", async () => {
    calls.length = 0;
    const d = await driver();
    await fillToConsent(d);
    await d.tap('I agree');
    expect(d.state!.step).toBe('confirm');
    const startedAt = d.state!.startedAt;
    // Another form's Publish, a button from before forms were marked, and Submit under this form
    // left open earlier and started again.
    for (const data of [`a:${formMark({ id: 'inquiry-kb-entry', startedAt })}.confirm:0`, 'a:confirm:0', `a:${formMark({ id: 'test-form', startedAt: startedAt - 1 })}.confirm:0`]) {
      const out = await d.send({ kind: 'callback', data, queryId: 'q', messageId: 10 });
      expect(out.replies[0]).toMatchObject({ kind: 'toast' });
      expect(out.ended).toBeUndefined();
    }
    expect(calls).toHaveLength(0);
    expect((await d.tap('Submit')).ended).toBe('completed');
    expect(calls).toHaveLength(1);
  });

  it("a field button of the 'which answer?' list, tapped once the summary is back, is stale: it does not submit", async () => {
    calls.length = 0;
    const d = await driver();
    await fillToConsent(d);
    await d.tap('I agree');
    await d.tap('Change an answer');
    // The list of answers stays on screen: the person types which one instead of tapping it.
    const list = d.lastWithButtons();
    const first = list.buttons!.flat()[0]!;
    expect(first.text).toContain('who');
    await d.say('3');
    await d.say('Aigerim Bek');
    expect(d.state!.step).toBe('confirm');
    // The first field's button (to change "who") sits where the summary has Submit.
    const out = await d.send({ kind: 'callback', data: first.data!, queryId: 'q', messageId: 11, messageText: list.text });
    expect(out.replies[0]).toMatchObject({ kind: 'toast' });
    expect(out.ended).toBeUndefined();
    expect(calls).toHaveLength(0);
    expect((await d.tap('Submit')).ended).toBe('completed');
    expect(calls).toHaveLength(1);
  });

  it('drops answers of a branch that an edit made irrelevant', async () => {
    calls.length = 0;
    const d = await driver();
    await fillToConsent(d);
    await d.tap('I agree');
    await d.tap('Change an answer');
    await d.say('1'); // who
    await d.tap('Child');
    expect(d.state!.step).toBe('confirm');
    expect(d.state!.answers.age).toBeUndefined();
    await d.tap('Submit');
    expect(calls[0]).not.toHaveProperty('age');
  });

  it('goes back along the path actually taken; back from the first step leaves', async () => {
    const d = await driver();
    await d.tap('Child');
    await d.back();
    expect(d.state!.step).toBe('who');
    const out = await d.back();
    expect(out).toMatchObject({ state: null, ended: 'menu' });
  });

  it('speaks the user language, with Kazakh and Russian plurals', async () => {
    const kk = await driver('kk');
    expect(kk.lastWithButtons().text).toMatch(/^9 қадамның 1-қадамы/);
    await kk.say('99');
    expect(kk.texts()[0]).toContain('1 мен 2 аралығында');
    const ru = await driver('ru');
    await ru.tap('Child');
    await ru.say('Aigerim');
    await ru.say('1, 2, 3');
    expect(ru.texts()[0]).toBe('Выберите не больше 2 ответов.');
  });

  it('slides the inactivity deadline on every accepted input', async () => {
    const d = await driver();
    const first = d.state!.expiresAt;
    Object.assign(d.ctx.deps, { now: () => new Date('2026-11-23T10:00:00Z') });
    await d.tap('Child');
    expect(d.state!.expiresAt - first).toBe(24 * 3600 * 1000);
  });
});

describe('editing from the summary', () => {
  it('asks only the questions an edit opened, then returns to the summary', async () => {
    const d = new SceneDriver(form, await engineContext());
    await d.start();
    await d.tap('Child');
    await d.say('Aigerim');
    await d.say('1');
    await d.say('+77011234567');
    await d.say('Almaty');
    await d.say('25.12.2026 14:30');
    await d.say('aika');
    await d.tap('I agree');
    await d.tap('Change an answer');
    await d.say('1'); // who
    await d.tap('Adult'); // opens the age question
    expect(d.state!.step).toBe('age');
    await d.say('40');
    expect(d.state!.step).toBe('confirm');
    expect(d.lastWithButtons().text).toContain('40');
  });

  it('lets a text step read more than the default 2,000 characters up to its own maximum, and names that maximum above it', async () => {
    const long = defineScene(z.object({ question: z.string() }), {
      id: 'long-text',
      version: 1,
      namespace: 'test',
      titleKey: 'test:title',
      steps: [{ id: 'question', kind: 'text', prompt: 'test:question', maxLength: 4096, schema: z.string().max(4096, 'errors:too-long') }],
      async complete() {
        return { replies: [] };
      },
    });
    const d = new SceneDriver(long, await engineContext('ru'));
    await d.start();
    await d.say('ж'.repeat(4097));
    expect(d.state!.step).toBe('question');
    expect(d.texts()[0]).toContain('4096');
    await d.say('ж'.repeat(3000));
    expect(d.state).toBeNull();
  });
});

describe('a choice whose options depend on an earlier answer', () => {
  const kinds = defineScene(z.object({ who: z.enum(['child', 'adult']), help: z.string() }), {
    id: 'test-dependent',
    version: 1,
    namespace: 'test',
    titleKey: 'test:title',
    steps: [
      { id: 'who', kind: 'choice', prompt: 'test:who.prompt', options: [{ value: 'child', label: 'Child' }, { value: 'adult', label: 'Adult' }] },
      {
        id: 'help',
        kind: 'choice',
        prompt: 'test:areas.prompt',
        // Another list for an adult, in which the same place holds another answer.
        options: (a) => (a.who === 'child' ? [{ value: 'speech', label: 'Speech therapy' }, { value: 'play', label: 'Play therapy' }] : [{ value: 'work', label: 'Help finding work' }, { value: 'home', label: 'Care at home' }]),
      },
    ],
    complete: async () => ({ replies: [] }),
  });

  it("refuses a button of the list shown before Back and another answer, instead of picking what now has its place", async () => {
    const d = new SceneDriver(kinds, await engineContext());
    await d.start();
    await d.tap('Child');
    const oldList = d.lastWithButtons().buttons!.flat().find((b) => b.text.includes('Speech therapy'))!.data!;
    await d.back();
    await d.tap('Adult');
    expect(d.state!.step).toBe('help');
    const out = await d.send({ kind: 'callback', data: oldList, queryId: 'q', messageId: 10 });
    expect(out.replies[0]).toMatchObject({ kind: 'toast' });
    expect(d.state!.answers).not.toHaveProperty('help');
    // The list on screen still answers.
    await d.tap('Help finding work');
    expect(d.state).toBeNull();
  });
});

describe('a choice of one option', () => {
  const single = defineScene(z.object({ next: z.enum(['again']) }), {
    id: 'test-single',
    version: 1,
    namespace: 'test',
    titleKey: 'test:title',
    steps: [{ id: 'next', kind: 'choice', prompt: 'test:who.prompt', options: [{ value: 'again', label: 'Search again' }] }],
    complete: async () => ({ replies: [] }),
  });

  // "от 1 до 1" before: Russian's "one" form is also the form of 21 and 31, so it names a range.
  it.each([
    ['en', 'Please tap the button or type 1.'],
    ['ru', 'Нажмите кнопку или напишите 1.'],
    ['kk', 'Батырманы басыңыз немесе 1 деп жазыңыз.'],
  ] as const)('asks in %s for the button or "1", without a range of one', async (locale, again) => {
    const d = new SceneDriver(single, await engineContext(locale));
    await d.start();
    await d.say('7');
    expect(d.texts()[0]).toBe(again);
    expect(d.state!.step).toBe('next');
  });
});
