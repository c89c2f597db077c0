import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('smoke');
  });
  afterAll(async () => app?.close());

  it('greets, asks for a language and shows the menu', async () => {
    await app.command(1, 'start', undefined, 'ru');
    const first = app.drain(1);
    expect(first.join('\n')).toContain('Please choose a language');
    expect(app.last(1).buttons.flat()).toContain('✓ 2. Русский');
    await app.tapLike(1, 'English');
    const texts = app.drain(1);
    expect(texts.join('\n')).toContain('Main menu');
  });

  it('opens My data by typed number', async () => {
    await onboard(app, 2);
    const buttons = app.last(2).buttons.flat();
    const myData = buttons.find((b) => b.includes('My data'))!;
    await app.say(2, myData.split('.')[0]!);
    expect(app.drain(2).join('\n')).toContain('everything Komek holds about you');
  });
});
