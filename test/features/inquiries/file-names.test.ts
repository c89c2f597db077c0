// A citizen's file whose name holds an IIN or a card number ("IIN 950101300123.pdf") never reaches
// the staff group: a copy keeps the file's name, and Telegram cannot rename it. The topic gets the
// "Citizen: [document] …" line, a note and a button; the file goes to the private chat of the
// operator who taps it, after the access check. Files with other names are copied as before. The
// whole bot, the real queue and worker, FerretDB, Redis and the local Bot API with a forum
// supergroup as the staff chat; what is checked is what the Bot API got for the staff chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { messagesInThread } from '../../support/group-updates.js';
import { askPerson, STAFF_CHAT, startLiveRelay, threadText, type LiveRelay } from './helpers.js';
import { retryTopicMirrors } from '../../../src/features/inquiries/topic-mirror.js';
import { topicMirrorModel } from '../../../src/features/inquiries/topic-mirror.model.js';
import type { MessageState, Update, UpdateOptions } from '../../../src/platform/bot-api/index.js';

const OPERATOR = 9600;
const IIN = '950101300123';
const NOTE = "The file's name contains an ID or card number, so the file is not shown in this group.";
const later = () => new Date(Date.now() + 2 * 60_000);

describe('files whose names hold an IIN: kept out of the staff group, sent to the operator who asks', () => {
  let relay: LiveRelay;
  let app: TestApp;

  const inThread = (threadId: number): MessageState[] => messagesInThread(app.api, STAFF_CHAT, threadId);
  const copiesIn = (threadId: number) => inThread(threadId).filter((m) => m.method === 'copyMessage');
  /** Everything the staff chat shows: texts, captions and copied files' names. */
  const staffShows = () => app.api.messagesTo(STAFF_CHAT).flatMap((m) => [m.text ?? '', ...(m.fileNames ?? [])]);
  const messageIdOf = (update: Update) => Number((update.message as { message_id: number }).message_id);
  async function question(chat: number, text: string): Promise<{ ref: string; threadId: number }> {
    await onboard(app, chat);
    const ref = await askPerson(app, chat, text);
    return { ref, threadId: (await app.bot.services.inquiries.get(ref))!.threadId! };
  }
  const document = (chat: number, fileName: string, opts: UpdateOptions = {}) => app.send(app.api.document(chat, { enqueue: false, fileName, ...opts }));
  /** The operator taps a button in the topic; returns the toast they saw. */
  async function tap(threadId: number, userId: number, data: string): Promise<string | undefined> {
    const update = app.api.callback(STAFF_CHAT, data, inThread(threadId).at(-1)?.messageId, { userId, threadId, enqueue: false });
    await app.send(update);
    const id = (update.callback_query as { id: string }).id;
    const answer = app.api.callsOf('answerCallbackQuery').find((c) => (c.payload as { callback_query_id: string }).callback_query_id === id);
    return (answer?.payload as { text?: string } | undefined)?.text;
  }
  const buttonOf = (m: MessageState | undefined) => m?.callbackData.flat()[0] ?? '';

  beforeAll(async () => {
    relay = await startLiveRelay('inq_file_names', OPERATOR, { INQUIRY_FLOOD_PER_MINUTE: '40' });
    app = relay.app;
    await onboard(app, OPERATOR);
  }, 120_000);
  afterAll(async () => relay?.close());

  it('a follow-up document named with an IIN: the topic gets its line, a note and a button, not the file; the operator gets the file in their private chat', async () => {
    const chat = 5601;
    const { ref, threadId } = await question(chat, 'Which papers does the commission need?');
    const sent = app.api.document(chat, { enqueue: false, fileName: `IIN ${IIN}.pdf`, caption: `my certificate, IIN ${IIN}` });
    await app.send(sent);
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);

    expect(copiesIn(threadId)).toHaveLength(0);
    const posted = inThread(threadId).at(-1)!;
    expect(posted.text).toBe(`Citizen: [document] my certificate, IIN [ID or card number hidden, ends …0123]\n\n${NOTE} Tap the button below and the bot will send it to your private chat.`);
    expect(posted.buttons).toEqual([['Send me the file']]);
    expect(staffShows().join('|').replace(/\D/g, '')).not.toContain(IIN);
    // The record keeps the mark, never the name.
    const stored = (await app.bot.services.inquiries.get(ref))!.messages.at(-1)!;
    expect(stored).toMatchObject({ media: 'document', nameHidden: true });
    expect(JSON.stringify(stored)).not.toContain(IIN);

    expect(await tap(threadId, OPERATOR, buttonOf(posted))).toBe(`The file from question ${ref} is in your private chat with the bot.`);
    const got = app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ copiedFrom: { chatId: chat, messageId: messageIdOf(sent) }, fileNames: [`IIN ${IIN}.pdf`] });
    // Whole in the operator's private chat, as the Staff menu shows it.
    expect(got[0]!.text).toBe(`${ref} Citizen: [document] my certificate, IIN ${IIN}`);
    expect((await app.bot.services.audit.recent(5, { action: 'inquiry.file-sent' })).map((a) => [a.actorId, a.target])).toContainEqual([OPERATOR, `inquiry:${ref}`]);
    // A double tap does not send it twice.
    await tap(threadId, OPERATOR, buttonOf(posted));
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage')).toHaveLength(1);
    // Nothing more went into the group.
    expect(copiesIn(threadId)).toHaveLength(0);
  });

  it('the number however written in the name: other digit scripts, full-width, spaces, dashes, underscores; an audio\'s title and a video\'s name too', async () => {
    const chat = 5602;
    const { threadId } = await question(chat, 'I am sending the documents they asked for.');
    const names = ['справка_950101300123.jpg', 'ИИН 950101 300 123.pdf', 'iin-950101-300-123.pdf', 'scan_950101_300123.pdf', 'ЖСН ٩٥٠١٠١٣٠٠١٢٣.pdf', '９５０１０１３００１２３.pdf', 'card 4400 4301 2345 6789.png', '950101·300·123.docx'];
    for (const name of names) await document(chat, name);
    await app.send(app.api.audio(chat, { enqueue: false, title: `Recording ${IIN}` }));
    await app.send(app.api.audio(chat, { enqueue: false, performer: `IIN ${IIN}` }));
    await app.send(app.api.video(chat, { enqueue: false, fileName: `video_${IIN}.mp4` }));
    expect(copiesIn(threadId)).toHaveLength(0);
    const notes = threadText(app, threadId).filter((text) => text.includes(NOTE));
    expect(notes).toHaveLength(names.length + 3);
    expect(notes.slice(-3).map((text) => text.split('\n')[0])).toEqual(['Citizen: [audio]', 'Citizen: [audio]', 'Citizen: [video]']);
    expect(staffShows().join('|')).not.toMatch(/300[\s_-]*123|٣٠٠١٢٣|３００１２３/);
  });

  it("a file without a name, one named with a phone number, a short number, a camera's date and time or a plain name: copied as before, name and all", async () => {
    const chat = 5603;
    const { threadId } = await question(chat, 'Here is the decision letter.');
    await document(chat, '');
    await document(chat, 'call me 8 701 234 56 78.pdf');
    await document(chat, 'decision 2024-117.pdf');
    await document(chat, 'IMG_20240115_123045.jpg');
    // A caption with an IIN under a file with a plain name: the file is copied, the caption hidden.
    await document(chat, 'decision.pdf', { caption: `IIN ${IIN}` });
    const copies = copiesIn(threadId);
    expect(copies.map((m) => m.fileNames ?? [])).toEqual([[], ['call me 8 701 234 56 78.pdf'], ['decision 2024-117.pdf'], ['IMG_20240115_123045.jpg'], ['decision.pdf']]);
    expect(copies.at(-1)!.text).toBe('Citizen: [document] IIN [ID or card number hidden, ends …0123]');
    expect(threadText(app, threadId).some((text) => text.includes(NOTE))).toBe(false);
  });

  /** The file the person sent at the menu, sent on as a question ("Send it to a person"): its reference and new topic. */
  async function sendOfferedAsQuestion(chat: number): Promise<{ ref: string; threadId: number }> {
    await app.tapLike(chat, 'Send it to a person');
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)![0];
    return { ref, threadId: (await app.bot.services.inquiries.get(ref))!.threadId! };
  }

  it('a document named with an IIN as the question itself: its new topic gets the note and the button', async () => {
    const chat = 5604;
    await onboard(app, chat);
    await document(chat, `справка ${IIN}.pdf`);
    const { ref, threadId } = await sendOfferedAsQuestion(chat);
    expect(copiesIn(threadId)).toHaveLength(0);
    const posted = inThread(threadId).at(-1)!;
    expect(posted.text).toContain(`Citizen: [document]\n\n${NOTE}`);
    expect(await tap(threadId, OPERATOR, buttonOf(posted))).toContain(ref);
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage').at(-1)?.fileNames).toEqual([`справка ${IIN}.pdf`]);
  });

  it('the staff group unreachable when the file came: the repair pass posts the note and the button, never the file', async () => {
    const chat = 5605;
    const { ref, threadId } = await question(chat, 'The clinic sent me a referral.');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await document(chat, `referral_${IIN}.pdf`);
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    expect(threadText(app, threadId).some((text) => text.includes(NOTE))).toBe(false);
    expect((await topicMirrorModel(app.mongo).findOne({ ref, messageId: { $gt: 0 } }).lean())?.doneAt).toBeUndefined();

    await Promise.all([retryTopicMirrors(app.bot.deps, later()), retryTopicMirrors(app.bot.deps, later())]);
    expect(threadText(app, threadId).filter((text) => text.includes(NOTE))).toHaveLength(1);
    expect(copiesIn(threadId)).toHaveLength(0);
    expect(staffShows().join('|')).not.toContain(IIN);
  });

  it('a topic an admin deleted is made again with everything the person sent: the file named with an IIN gets its note again, not a copy', async () => {
    const chat = 5607;
    const { ref, threadId: oldThread } = await question(chat, 'I am sending my medical report.');
    await document(chat, `report ${IIN}.pdf`);
    app.api.deleteTopic(STAFF_CHAT, oldThread);
    await app.say(chat, 'Did you get it?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(threadId).not.toBe(oldThread);
    expect(threadText(app, threadId).filter((text) => text.includes(NOTE))).toHaveLength(1);
    expect(threadText(app, threadId)).toContain('Citizen: Did you get it?');
    expect(copiesIn(threadId)).toHaveLength(0);
    expect(staffShows().join('|')).not.toContain(IIN);
  });

  /** The person replaces the file of a message already sent (Telegram lets them edit it): the chat holds the new one from then on. */
  async function replaceFile(update: Update, fileName: string): Promise<void> {
    const message = update.message as Record<string, unknown> & { document: Record<string, unknown>; date: number };
    message.document = { ...message.document, file_name: fileName };
    await app.send(app.api.push({ edited_message: { ...message, edit_date: message.date + 1 } }, { enqueue: false }));
  }

  it('a file offered as a question and then replaced by one named with an IIN: the new topic gets the note, not a copy', async () => {
    const chat = 5608;
    await onboard(app, chat);
    const sent = app.api.document(chat, { enqueue: false, fileName: 'scan.pdf' });
    await app.send(sent);
    await replaceFile(sent, `scan ${IIN}.pdf`);
    const { threadId } = await sendOfferedAsQuestion(chat);
    expect(copiesIn(threadId)).toHaveLength(0);
    expect(threadText(app, threadId).filter((text) => text.includes(NOTE))).toHaveLength(1);
    expect(staffShows().join('|')).not.toContain(IIN);
  });

  it('an offered file replaced while "Ask a person" asks for the topic: the topic still gets the note', async () => {
    const chat = 5610;
    await onboard(app, chat);
    const sent = app.api.document(chat, { enqueue: false, fileName: 'letter.pdf' });
    await app.send(sent);
    await app.tapLike(chat, 'Send it to a person');
    await replaceFile(sent, `letter ${IIN}.pdf`);
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)![0];
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(copiesIn(threadId)).toHaveLength(0);
    expect(threadText(app, threadId).filter((text) => text.includes(NOTE))).toHaveLength(1);
  });

  it('an offered file under a caption too long for the label, whose caption is then edited to hold an IIN: the copy does not keep the new caption', async () => {
    const chat = 5611;
    await onboard(app, chat);
    const sent = app.api.document(chat, { enqueue: false, fileName: 'appeal.pdf', caption: 'My appeal. '.repeat(92) });
    await app.send(sent);
    const message = sent.message as Record<string, unknown> & { date: number };
    message.caption = `IIN ${IIN}. ${'My appeal. '.repeat(91)}`;
    await app.send(app.api.push({ edited_message: { ...message, edit_date: message.date + 1 } }, { enqueue: false }));
    await app.tapLike(chat, 'Send it to a person');
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)![0];
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(copiesIn(threadId)).toHaveLength(1);
    expect(staffShows().join('|')).not.toContain(IIN);
  });

  it('a follow-up replaced by a file named with an IIN after it was copied: a topic made again gets the note, not a copy of the new file', async () => {
    const chat = 5609;
    const { ref, threadId: oldThread } = await question(chat, 'Here is my referral.');
    const sent = app.api.document(chat, { enqueue: false, fileName: 'referral.pdf' });
    await app.send(sent);
    expect(copiesIn(oldThread)).toHaveLength(1);
    await replaceFile(sent, `referral ${IIN}.pdf`);
    app.api.deleteTopic(STAFF_CHAT, oldThread);
    await app.say(chat, 'Did you get it?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(threadId).not.toBe(oldThread);
    expect(copiesIn(threadId)).toHaveLength(0);
    expect(threadText(app, threadId).filter((text) => text.includes(NOTE))).toHaveLength(1);
    expect(staffShows().join('|')).not.toContain(IIN);
  });

  it('the operator who never opened a private chat with the bot (or blocked it) is told how; a file the person deleted is said to be gone', async () => {
    const chat = 5606;
    const { ref, threadId } = await question(chat, 'What does this letter mean?');
    await document(chat, `letter ${IIN}.pdf`);
    const button = buttonOf(inThread(threadId).at(-1));
    app.api.blockedChats.add(OPERATOR);
    expect(await tap(threadId, OPERATOR, button)).toBe('The bot cannot write to you yet. Open a private chat with the bot, send /start, then tap the button again.');
    app.api.blockedChats.delete(OPERATOR);
    app.api.failNext('copyMessage', 400, 'Bad Request: message to copy not found');
    expect(await tap(threadId, OPERATOR, button)).toContain(`ask them to send it again in question ${ref}`);
    // Both refusals leave the tap free to try again.
    expect(await tap(threadId, OPERATOR, button)).toContain(ref);
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage').at(-1)?.fileNames).toEqual([`letter ${IIN}.pdf`]);
  });
});
