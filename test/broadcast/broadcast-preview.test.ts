// The compose scene: each preview once per text (not again on a typing mistake, on
// "Change an answer" or on Back, but again for a changed text), and bad input at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp, type RecordingDelivery } from '../support/app-harness.js';
import { openCompose } from './helpers.js';

const STAFF = 5100;
const HEADING = 'exactly as people will see it';
const previews = (texts: string[]) => texts.filter((t) => t.includes(HEADING));

describe('broadcast previews', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('broadcast_preview', { adminIds: [STAFF] });
    await onboard(app, STAFF, 'English');
  });
  afterAll(async () => app?.close());

  it('shows each text once, and again only after it changed', async () => {
    await openCompose(app, STAFF);
    await app.tapLike(STAFF, 'Қазақша');
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Done');
    await app.say(STAFF, 'Ертең орталық жабық.');
    await app.say(STAFF, 'Closed tomorrow.');
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Everyone');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, 'All languages');
    app.drain(STAFF);
    await app.tapLike(STAFF, 'Send now');
    const first = app.drain(STAFF);
    expect(previews(first)).toEqual(['Preview in Қазақша, exactly as people will see it:', 'Preview in English, exactly as people will see it:']);

    // A sticker at the summary: the error and the summary again, not the previews.
    await app.send(app.api.sticker(STAFF, { enqueue: false }));
    const afterSticker = app.drain(STAFF);
    expect(previews(afterSticker)).toEqual([]);
    expect(afterSticker.join('\n')).toContain('Please check');

    // The picker of "Change an answer" repeats nothing either.
    await app.tapLike(STAFF, 'Change an answer');
    const picker = app.drain(STAFF);
    expect(previews(picker)).toEqual([]);
    expect(picker.join('\n')).toContain('Which answer would you like to change?');

    // Changing the English text previews that text again, and only that one.
    await app.tapLike(STAFF, 'Text in English');
    await app.say(STAFF, 'The centre is closed tomorrow.');
    const changed = app.drain(STAFF);
    expect(previews(changed)).toEqual(['Preview in English, exactly as people will see it:']);
    expect(changed).toContain('The centre is closed tomorrow.\n\nThis is an announcement from Komek. You can turn announcements off in the menu under "My data".');

    // Changing something else (the region) shows the summary without the previews.
    await app.tapLike(STAFF, 'Change an answer');
    await app.tapLike(STAFF, 'Region');
    await app.tapLike(STAFF, 'Abai');
    const regionChanged = app.drain(STAFF);
    expect(previews(regionChanged)).toEqual([]);
    expect(regionChanged.join('\n')).toContain('Please check');

    // Back from the summary (to the answer changed last) and forward again: no previews.
    await app.tapLike(STAFF, 'Back');
    expect(app.last(STAFF).text).toContain('Only people from one region?');
    await app.tapLike(STAFF, 'Abai');
    await app.tapLike(STAFF, 'All languages');
    await app.tapLike(STAFF, 'Send now');
    const again = app.drain(STAFF);
    expect(previews(again)).toEqual([]);
    expect(again.join('\n')).toContain('Please check');

    await app.tapLike(STAFF, 'Send the announcement');
    expect(app.drain(STAFF).join('\n')).toContain('Nobody matches');
  });

  it('previews every text again in a new compose scene, even the same words', async () => {
    const delivery = app.delivery as RecordingDelivery;
    const toSummary = async () => {
      await openCompose(app, STAFF);
      await app.tapLike(STAFF, 'English');
      await app.tapLike(STAFF, 'Done');
      await app.say(STAFF, 'The centre is closed tomorrow.');
      await app.tapLike(STAFF, 'Everyone');
      await app.tapLike(STAFF, 'All regions');
      await app.tapLike(STAFF, 'All languages');
      app.drain(STAFF);
      await app.tapLike(STAFF, 'Send now');
      return previews(app.drain(STAFF));
    };
    expect(await toSummary()).toEqual(['Preview in English, exactly as people will see it:']);
    // Left from the summary without sending, then started afresh.
    await app.command(STAFF, 'menu');
    expect(await toSummary()).toEqual(['Preview in English, exactly as people will see it:']);
    expect(delivery.jobs).toHaveLength(0);
  });

  it('answers bad input at each step with a clear message and the same question', async () => {
    await app.command(STAFF, 'menu');
    await openCompose(app, STAFF);
    app.drain(STAFF);
    await app.send(app.api.sticker(STAFF, { enqueue: false }));
    expect(app.drain(STAFF)).toEqual(expect.arrayContaining([expect.stringContaining('I cannot read stickers'), expect.stringContaining('In which languages')]));
    await app.say(STAFF, '1, 3'); // typed numbers work like the buttons
    expect(app.last(STAFF).text).toContain('Write the announcement in Қазақша: plain text, up to 2000 characters.');
    await app.say(STAFF, 'ж'.repeat(2500));
    expect(app.drain(STAFF)).toEqual(expect.arrayContaining([expect.stringContaining('Please keep it under 2000 characters'), expect.stringContaining('Write the announcement in Қазақша')]));
    await app.send(app.api.photo(STAFF, { enqueue: false }));
    expect(app.last(STAFF).text).toContain('Write the announcement in Қазақша');
    await app.say(STAFF, 'Сәлем 👋');
    await app.say(STAFF, 'Hello 👋');
    expect(app.last(STAFF).text).toContain('Which version should they get');
    await app.say(STAFF, '7');
    expect(app.drain(STAFF).join('\n')).toContain('Which version should they get');
    await app.say(STAFF, 'English');
    await app.say(STAFF, '1');
    await app.say(STAFF, 'All regions');
    await app.say(STAFF, 'All languages');
    await app.say(STAFF, '2');
    expect(app.last(STAFF).text).toContain('When should it be sent?');
    await app.say(STAFF, '31.02.2099 10:00');
    expect(app.drain(STAFF).join('\n')).toContain('Please type a real date and time');
    await app.command(STAFF, 'cancel');
    expect((app.delivery as RecordingDelivery).jobs).toHaveLength(0);
  });
});
