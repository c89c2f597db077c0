// A broadcaster for Astana only makes the Cancel button of someone else's announcement by hand
// (broadcast ids are ObjectIds: from their own, the next ones of the same process are easy to
// guess). Writing is limited to their regions; stopping announcements to other regions must be
// too. Their own announcements, and those to their region, they may still stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { broadcastCallbacks } from '../../src/features/broadcast/callbacks.js';
import { auditOf } from '../access/helpers.js';

const ADMIN = 8600;
const ASTANA_CASTER = 8601;
const ASTANA_COLLEAGUE = 8602;

describe('broadcast Cancel button: only within the broadcaster scope', () => {
  let app: TestApp;
  const later = () => new Date(Date.now() + 3_600_000);
  const schedule = async (createdBy: number, region?: string, text = 'The centre is closed tomorrow.') =>
    (
      await app.bot.services.broadcasts.create({
        createdBy,
        staffChatId: createdBy,
        staffLocale: 'en',
        texts: { en: text },
        fallback: 'en',
        audience: { group: 'all', ...(region ? { region } : {}) },
        sendAt: later(),
      })
    ).id;
  const tapCancel = async (chat: number, id: string) => {
    const before = app.api.callsOf('answerCallbackQuery').length;
    await app.send(app.api.callback(chat, broadcastCallbacks.encode.cancel({ broadcastId: id }), undefined, { enqueue: false }));
    return String(app.api.callsOf('answerCallbackQuery').slice(before).at(-1)?.payload.text ?? '');
  };
  const statusOf = async (id: string) => (await broadcastModel(app.mongo).findById(id).lean())?.status;

  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_cancel_scope', { adminIds: [ADMIN] });
    for (const chat of [ADMIN, ASTANA_CASTER, ASTANA_COLLEAGUE]) await onboard(app, chat);
    for (const id of [ASTANA_CASTER, ASTANA_COLLEAGUE]) {
      await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['broadcaster'], regions: ['astana'], topics: null });
    }
    await userModel(app.mongo).create({ telegramId: 8650, chatId: 8650, locale: 'en', region: 'astana' });
    await userModel(app.mongo).create({ telegramId: 8651, chatId: 8651, locale: 'en', region: 'abai' });
  }, 60_000);
  afterAll(async () => app?.close());

  it("refuses to stop an announcement to every region or to another region, and audits it", async () => {
    const everywhere = await schedule(ADMIN);
    const abai = await schedule(ADMIN, 'abai');
    for (const id of [everywhere, abai]) {
      expect(await tapCancel(ASTANA_CASTER, id)).toContain('You do not have access to this.');
      expect(await statusOf(id)).toBe('scheduled');
    }
    const denied = await auditOf(app, ASTANA_CASTER, 'access.denied');
    expect(denied.map((d) => d.target)).toEqual(expect.arrayContaining([`broadcast:${everywhere}`, `broadcast:${abai}`]));
  });

  it('lets them stop their own announcement and a colleague’s to their region', async () => {
    const own = await schedule(ASTANA_CASTER, 'astana');
    expect(await tapCancel(ASTANA_CASTER, own)).toContain('cancelled');
    expect(await statusOf(own)).toBe('cancelled');
    const colleagues = await schedule(ASTANA_COLLEAGUE, 'astana');
    expect(await tapCancel(ASTANA_CASTER, colleagues)).toContain('cancelled');
    expect(await statusOf(colleagues)).toBe('cancelled');
    const everywhere = await schedule(ADMIN);
    expect(await tapCancel(ADMIN, everywhere)).toContain('cancelled');
  });

  it('lists under Past announcements only those to their regions and their own', async () => {
    await schedule(ADMIN, undefined, 'Everywhere: the hotline is closed on Monday.');
    await schedule(ADMIN, 'abai', 'Abai: the centre in Semey moves.');
    await schedule(ASTANA_COLLEAGUE, 'astana', 'Astana: a new day-care group opens.');
    await app.send(app.api.callback(ASTANA_CASTER, 'm:broadcast-history', undefined, { enqueue: false }));
    const mine = app.drain(ASTANA_CASTER).join('\n');
    expect(mine).toContain('Astana: a new day-care group opens.');
    expect(mine).not.toContain('Everywhere: the hotline');
    expect(mine).not.toContain('Abai: the centre');
    await app.send(app.api.callback(ADMIN, 'm:broadcast-history', undefined, { enqueue: false }));
    const all = app.drain(ADMIN).join('\n');
    for (const text of ['Astana: a new day-care', 'Everywhere: the hotline', 'Abai: the centre']) expect(all).toContain(text);
  });
});
