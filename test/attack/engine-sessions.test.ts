// Attack 3 (and 1): the one-way engine fed sessions it did not write: a staff scene in a
// citizen's session, an answer from an older release, a step that no longer exists; Back from
// the first step; a language change mid-form; the export scene for someone demoted meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { GrantExportRequest } from '../../src/delivery/types.js';
import { formMark, optionsMark } from '../../src/engine/callback-data.js';

const ADMIN = 7700;
// The apology for a failed update (errors:internal), not the polite "form was updated" notice.
const APOLOGY = /something went wrong/i;

describe('attack: sessions the engine did not write', () => {
  let app: TestApp;
  const requests: GrantExportRequest[] = [];
  beforeAll(async () => {
    const delivery = new RecordingDelivery();
    delivery.exportGrants = async (request) => {
      requests.push(request);
      return 'queued';
    };
    app = await createTestApp('atk_engine_sess', { delivery, adminIds: [ADMIN] });
  }, 60_000);
  afterAll(async () => app?.close());

  /** Returns what the step's buttons carry before the option's number, as if the bot had shown them. */
  async function writeScene(chat: number, scene: Record<string, unknown> & { id: string; step: string; shown?: Array<{ value: string; label: string }> }): Promise<string> {
    const now = Date.now();
    const session = { locale: 'en', syncedAt: now, scene: { version: 1, history: [], startedAt: now, touchedAt: now, expiresAt: now + 600_000, ...scene } };
    await app.redis.set(`${app.config.REDIS_PREFIX}:chat:{${chat}}:sess`, app.bot.sessions.seal(session as never).sealed);
    return `${formMark({ id: scene.id, startedAt: now })}.${scene.step}${scene.shown ? `.${optionsMark(scene.shown)}` : ''}`;
  }

  it('a citizen whose session holds the export scene cannot finish it', async () => {
    const chat = 7701;
    await onboard(app, chat);
    const mark = await writeScene(chat, { id: 'grant-export', step: 'mode', answers: {}, shown: [{ value: 'masked', label: 'Masked' }, { value: 'full', label: 'In full' }] });
    await app.send(app.api.callback(chat, `a:${mark}:1`, undefined, { enqueue: false }));
    await app.say(chat, 'In full');
    expect(requests.filter((r) => r.userId === chat)).toEqual([]);
    expect(app.drain(chat).join('\n')).not.toMatch(APOLOGY);
  });

  it('a stored answer from an older release is asked again, not handed to complete', async () => {
    const chat = ADMIN;
    await onboard(app, chat);
    // Single-step scene, the step already "answered" with a value the schema refuses, and the step
    // moved past (as if a confirm followed in an older version).
    const mark = await writeScene(chat, { id: 'grant-export', step: 'mode', answers: { mode: 'everything' }, shown: [{ value: 'masked', label: 'Masked' }, { value: 'full', label: 'In full' }] });
    await app.send(app.api.callback(chat, `a:${mark}:0`, undefined, { enqueue: false }));
    const out = app.drain(chat).join('\n');
    expect(out).not.toMatch(APOLOGY);
    expect(requests.filter((r) => r.userId === chat).map((r) => r.full)).toEqual([false]);
  });

  it('a session on a step that no longer exists does not brick the chat', async () => {
    const chat = 7703;
    await onboard(app, chat);
    await writeScene(chat, { id: 'grant-eligibility', step: 'gone-step', answers: {} });
    await app.say(chat, 'hello');
    await app.say(chat, 'hello again');
    await app.command(chat, 'menu');
    await app.send(app.api.callback(chat, 'n:menu', undefined, { enqueue: false }));
    await app.say(chat, 'and again');
    const out = app.drain(chat);
    // Once got the apology on every message, /menu included, until the scene expired; now the
    // form starts again with the "updated" notice.
    expect(out.join('\n')).toContain('has been updated, so it has to start again');
    expect(out.at(-1)).not.toMatch(APOLOGY);
    expect(out.join('\n')).not.toMatch(APOLOGY);
  });

  it('a session naming a scene that does not exist does not brick the chat', async () => {
    const chat = 7704;
    await onboard(app, chat);
    await writeScene(chat, { id: 'no-such-scene', step: 'x', answers: {} });
    await app.say(chat, 'hello');
    await app.say(chat, 'hello again');
    const out = app.drain(chat);
    expect(out.join('\n')).not.toMatch(/Something went wrong/i);
    // The "form updated" notice once said The form "" (no title); it now says so without one.
    expect(out.join('\n')).not.toContain('form ""');
    expect(out.join('\n')).toContain('The form you had open has been updated');
    expect(await app.bot.mailbox.deadLetters()).toEqual([]);
  });

  it('history naming a step that no longer exists: Back does not brick the chat', async () => {
    const chat = 7705;
    await onboard(app, chat);
    await writeScene(chat, { id: 'grant-eligibility', step: 'group', history: ['removed-step'], answers: {} });
    await app.send(app.api.callback(chat, 'n:back', undefined, { enqueue: false }));
    await app.say(chat, 'hello');
    const out = app.drain(chat);
    expect(out.join('\n')).not.toMatch(APOLOGY);
    expect(await app.bot.mailbox.deadLetters()).toEqual([]);
  });

  it('an admin demoted mid-scene gets no full export; Back from the first step leaves to the menu', async () => {
    const chat = 7706;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['admin'], regions: null, topics: null });
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Export applications');
    await app.send(app.api.callback(chat, 'n:back', undefined, { enqueue: false }));
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Export applications');
    // language changed mid-form
    await app.send(app.api.callback(chat, 'n:language', undefined, { enqueue: false }));
    await app.send(app.api.callback(chat, 'lang:ru', undefined, { enqueue: false }));
    expect((await app.bot.sessions.peek(chat))?.scene?.id).toBe('grant-export');
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    // The admin's answer forged with everything a button of this form carries (its mark).
    const form = (await app.bot.sessions.peek(chat))!.scene!;
    await app.send(app.api.callback(chat, `a:${formMark(form)}.mode.${optionsMark(form.shown ?? [])}:1`, undefined, { enqueue: false }));
    expect(requests.filter((r) => r.userId === chat && r.full)).toEqual([]);
    expect(app.drain(chat).join('\n')).not.toMatch(APOLOGY);
  });
});
