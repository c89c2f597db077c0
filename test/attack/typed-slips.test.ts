// Every button can be typed, but only letter for letter (or its beginning): a slip of the finger
// in a label's words ("ask a qestion", "задать вапрос", "my dta", "rehabilitaton") was no
// answer at all. At the main menu it went to the knowledge base ("ask a qestion" found how to
// check an application's status); in a form the step was asked again. One letter wrong, missing,
// extra or swapped (two in ten letters or more) now picks the one option that close, and only
// that one: a slip that two options are as close to is asked for the number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { matchTyped } from '../../src/engine/options.js';

describe('attack: typed buttons with a slip of the finger', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_slips');
  }, 60_000);
  afterAll(async () => app?.close());

  let chat = 5600;
  it.each([
    ['English', 'ask a qestion', 'What is your question about?'],
    ['English', 'my dta', 'everything Komek holds about you'],
    ['English', 'becme a voluntere', 'Step 1 of 9'],
    ['Русский', 'задать вапрос', 'О чём ваш вопрос?'],
    ['Русский', 'мои даные', 'хранит о вас'],
    ['Қазақша', 'сұрак қоу', 'Сұрағыңыз не туралы?'],
    ['Қазақша', 'menin derekterm', 'сіз туралы сақтайтын'],
  ] as const)('%s: "%s" at the main menu', async (language, typed, expected) => {
    chat += 1;
    await onboard(app, chat, language);
    await app.command(chat, 'menu');
    app.drain(chat);
    await app.say(chat, typed);
    expect(app.drain(chat).join('\n')).toContain(expected);
  });

  it('"rehabilitaton" answers the topic of a question', async () => {
    chat += 1;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    app.drain(chat);
    await app.say(chat, 'rehabilitaton');
    expect(app.drain(chat).join('\n')).toContain('Step 2 of 3');
  });

  it('picks nothing when two options are as close, nor for numbers and short words', () => {
    const regions = [{ value: 'almaty', label: 'Almaty (city)' }, { value: 'almaty-region', label: 'Almaty Region' }];
    expect(matchTyped('Almaly', regions)).toBeNull();
    expect(matchTyped('12 years', [{ value: 'a', label: '13 years' }])).toBeNull();
    expect(matchTyped('Yez', [{ value: 'y', label: 'Yes' }, { value: 'n', label: 'No' }])).toBeNull();
    expect(matchTyped('Kostanay Regoin', [{ value: 'k', label: 'Kostanay Region' }, { value: 'p', label: 'Pavlodar Region' }])?.value).toBe('k');
  });
});
