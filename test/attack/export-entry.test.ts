// Attack 1: ways into the export other than the Staff menu button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { GrantExportRequest } from '../../src/delivery/types.js';
import { formMark, optionsMark } from '../../src/engine/callback-data.js';

const ADMIN = 7800;

describe('attack: reaching the export without the right', () => {
  let app: TestApp;
  const requests: GrantExportRequest[] = [];
  beforeAll(async () => {
    const delivery = new RecordingDelivery();
    delivery.exportGrants = async (request) => {
      requests.push(request);
      return requests.filter((r) => r.userId === request.userId).length > 1 ? 'in-flight' : 'queued';
    };
    app = await createSceneHarness('atk_export_entry', { delivery, adminIds: [ADMIN] });
  });
  afterAll(async () => app?.close());

  it('a citizen typing, commanding or forging the export gets nothing queued', async () => {
    const chat = 7801;
    await onboard(app, chat);
    for (const text of ['Export applications', 'export', 'Staff', '/export', 'Экспорт заявок']) await app.say(chat, text);
    await app.command(chat, 'export');
    await app.command(chat, 'export', 'full');
    await app.send(app.api.callback(chat, 'm:grant-export', undefined, { enqueue: false }));
    await app.send(app.api.callback(chat, 'm:staff', undefined, { enqueue: false }));
    expect(requests.filter((r) => r.userId === chat)).toEqual([]);
  });

  it('a reviewer revoked with the Staff menu still open cannot export by typing or tapping', async () => {
    const chat = 7802;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: ['astana'], topics: null });
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    expect(await app.bot.services.users.revokeStaff(chat)).toBe(true);
    await app.say(chat, 'Export applications');
    await app.send(app.api.callback(chat, 'm:grant-export', undefined, { enqueue: false }));
    const mine = requests.filter((r) => r.userId === chat);
    expect(mine).toEqual([]);
  });

  it('a reviewer cannot get full data by forging the admin answer', async () => {
    const chat = 7803;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Export applications');
    // The admin's answer forged with everything a button of this form carries (its mark).
    const form = (await app.bot.sessions.peek(chat))?.scene;
    await app.send(app.api.callback(chat, form ? `a:${formMark(form)}.mode.${optionsMark(form.shown ?? [])}:1` : 'a:mode:1', undefined, { enqueue: false }));
    await app.say(chat, 'In full');
    await app.say(chat, '2');
    const mine = requests.filter((r) => r.userId === chat);
    expect(mine.length).toBe(1);
    expect(mine.every((r) => !r.full)).toBe(true);
  });

  it('an admin double-tapping "In full" queues one export', async () => {
    await onboard(app, ADMIN);
    await app.command(ADMIN, 'menu');
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Export applications');
    const msg = app.api.visibleMessages(ADMIN).at(-1)!;
    const data = msg.callbackData.flat().find((d) => /^a:[\w-]+\.mode(\.\w+)?:\d+$/.test(d))!.replace(/\d+$/, '1');
    await Promise.all([
      app.send(app.api.callback(ADMIN, data, msg.messageId, { enqueue: false })),
      app.send(app.api.callback(ADMIN, data, msg.messageId, { enqueue: false })),
    ]);
    expect(requests.filter((r) => r.userId === ADMIN)).toHaveLength(1);
    expect(requests.find((r) => r.userId === ADMIN)!.full).toBe(true);
  });
});
