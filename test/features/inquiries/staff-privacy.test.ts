// What the staff group sees of a citizen's question: IINs and card numbers hidden (last four
// digits shown), phone numbers kept; a forwarded message said to be forwarded, and from whom.
// The whole bot, the real queue and worker, FerretDB, Redis and the local Bot API with a forum
// supergroup as the staff chat; what is checked is what the Bot API got for the staff chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { messagesInThread } from '../../support/group-updates.js';
import { askPerson, STAFF_CHAT, startLiveRelay, threadText, type LiveRelay } from './helpers.js';
import { retryTopicMirrors } from '../../../src/features/inquiries/topic-mirror.js';
import { inquiryModel } from '../../../src/features/inquiries/inquiry.model.js';

const OPERATOR = 9500;
const IIN = '900101300123';
const later = () => new Date(Date.now() + 2 * 60_000);

describe('the staff topic: numbers hidden, forwards marked', () => {
  let relay: LiveRelay;
  let app: TestApp;

  /** Everything the bot sent into the staff chat, texts and captions, digits only: no way to hide a number there. */
  const staffDigits = () => app.api.messagesTo(STAFF_CHAT).map((m) => (m.text ?? '').replace(/\D/g, '')).join('|');
  const copiesIn = (threadId: number) => messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => m.method === 'copyMessage');
  async function question(chat: number, text: string): Promise<{ ref: string; threadId: number }> {
    await onboard(app, chat);
    const ref = await askPerson(app, chat, text);
    return { ref, threadId: (await app.bot.services.inquiries.get(ref))!.threadId! };
  }

  beforeAll(async () => {
    relay = await startLiveRelay('inq_staff_privacy', OPERATOR);
    app = relay.app;
  }, 120_000);
  afterAll(async () => relay?.close());

  it('an IIN in the question, a follow-up and a photo caption is hidden in the topic, its last 4 shown; a phone stays; the record and the Staff menu keep it whole', async () => {
    const chat = 5501;
    const asked = 'My IIN is 900101 300 123, call me at +7 701 234 56 78. Which benefit can my son get?';
    const { ref, threadId } = await question(chat, asked);
    expect(threadText(app, threadId)).toContain('Citizen: My IIN is [ID or card number hidden, ends …0123], call me at +7 701 234 56 78. Which benefit can my son get?');

    await app.say(chat, `His IIN: ${IIN}; my card 4400-4301-2345-6789`);
    expect(threadText(app, threadId)).toContain('Citizen: His IIN: [ID or card number hidden, ends …0123]; my card [ID or card number hidden, ends …6789]');

    await app.send(app.api.photo(chat, { enqueue: false, caption: `The certificate, IIN ${IIN}` }));
    expect(copiesIn(threadId).at(-1)?.text).toBe('Citizen: [photo] The certificate, IIN [ID or card number hidden, ends …0123]');

    // A caption too long to carry the label: the label goes before the copy, and the copy's own
    // caption (which holds the IIN) is taken off it.
    const long = `${'The commission refused us again and again. '.repeat(23)}IIN ${IIN}`;
    await app.send(app.api.photo(chat, { enqueue: false, caption: long }));
    expect(threadText(app, threadId).some((t) => t.startsWith('Citizen: [photo] The commission') && t.endsWith('[ID or card number hidden, ends …0123]'))).toBe(true);
    expect(copiesIn(threadId).at(-1)?.text ?? '').toBe('');

    expect(staffDigits()).not.toContain(IIN);
    expect(staffDigits()).not.toContain('4400430123456789');
    expect(staffDigits()).toContain('77012345678');
    // Stored whole (encrypted at rest), and the Staff menu in the operator's private chat shows it whole.
    const stored = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!).map((m) => m.text);
    expect(stored.slice(0, 3)).toEqual([asked, `His IIN: ${IIN}; my card 4400-4301-2345-6789`, `The certificate, IIN ${IIN}`]);
    await onboard(app, OPERATOR);
    await app.say(OPERATOR, ref);
    expect(app.drain(OPERATOR).join('\n')).toContain('Citizen: My IIN is 900101 300 123');
  });

  it('a forwarded message says it was forwarded and from whom: a person, a hidden account, a channel; a forwarded photo too', async () => {
    const chat = 5502;
    const { ref, threadId } = await question(chat, 'The district office wrote to us, what does it mean?');
    const forward = (text: string, origin: Record<string, unknown>) => app.send(app.api.text(chat, text, { enqueue: false, forwardOrigin: origin }));
    await forward('Your application is refused.', { type: 'user', sender_user: { id: 777, is_bot: false, first_name: 'Aida', last_name: 'Sultanova' } });
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    await forward(`Bring the papers, IIN ${IIN}.`, { type: 'hidden_user', sender_user_name: 'Social worker' });
    await forward('New rules from 1 July.', { type: 'channel', chat: { id: -100555, type: 'channel', title: 'Akimat news' }, message_id: 12 });
    await app.send(app.api.photo(chat, { enqueue: false, caption: 'the letter', forwardOrigin: { type: 'hidden_user', sender_user_name: 'Social worker' } }));
    await app.say(chat, 'That is all they sent.');
    const topic = threadText(app, threadId);
    expect(topic).toEqual(expect.arrayContaining([
      'Citizen forwarded a message from Aida Sultanova: Your application is refused.',
      'Citizen forwarded a message from Social worker: Bring the papers, IIN [ID or card number hidden, ends …0123].',
      'Citizen forwarded a message from Akimat news: New rules from 1 July.',
      'Citizen: That is all they sent.',
    ]));
    expect(copiesIn(threadId).at(-1)?.text).toBe('Citizen forwarded a message from Social worker: [photo] the letter');
    // Who wrote it first is personal data: stored encrypted, like the text.
    const raw = JSON.stringify(await inquiryModel(app.mongo).findOne({ ref }).lean());
    expect(raw).not.toMatch(/Aida|Social worker|Akimat/);
    const forwards = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!).map((m) => m.forwarded);
    expect(forwards).toEqual([undefined, { from: 'Aida Sultanova' }, { from: 'Social worker' }, { from: 'Akimat news' }, { from: 'Social worker' }, undefined]);
    // The Staff menu says so too.
    await onboard(app, OPERATOR);
    await app.say(OPERATOR, ref);
    expect(app.drain(OPERATOR).join('\n')).toContain('Citizen forwarded a message from Aida Sultanova: Your application is refused.');
  });

  it('a forwarded follow-up Telegram failed to take is posted by the repair pass the same way, numbers hidden', async () => {
    const chat = 5503;
    const { threadId } = await question(chat, 'Is there a day centre in Taraz?');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.send(app.api.text(chat, `From the school: IIN ${IIN} is enrolled.`, { enqueue: false, forwardOrigin: { type: 'user', sender_user: { id: 778, is_bot: false, first_name: 'Gulnar' } } }));
    expect(threadText(app, threadId).some((t) => t.includes('From the school'))).toBe(false);
    await retryTopicMirrors(app.bot.deps, later());
    expect(threadText(app, threadId)).toContain('Citizen forwarded a message from Gulnar: From the school: IIN [ID or card number hidden, ends …0123] is enrolled.');
    expect(staffDigits()).not.toContain(IIN);
  });

  it('a forwarded question: typed at the form\'s step, or first asked of the knowledge base; a typed one after it is not marked', async () => {
    const atStep = 5505;
    await onboard(app, atStep);
    await app.command(atStep, 'ask');
    await app.tapLike(atStep, 'Rehabilitation');
    await app.send(app.api.text(atStep, `Refused: the child with IIN ${IIN} has no right to a nurse.`, { enqueue: false, forwardOrigin: { type: 'channel', chat: { id: -100556, type: 'channel', title: 'District office' }, message_id: 4 } }));
    await app.tapLike(atStep, 'Almaty (city)');
    const first = app.drain(atStep).find((t) => t.includes('has been sent'))!.match(/Q-\d{4}-\d{6}/)![0];
    expect(threadText(app, (await app.bot.services.inquiries.get(first))!.threadId!)).toContain(
      'Citizen forwarded a message from District office: Refused: the child with IIN [ID or card number hidden, ends …0123] has no right to a nurse.',
    );

    // Back at the step after a forwarded answer, the question typed instead is the person's own.
    const typedAfter = 5507;
    await onboard(app, typedAfter);
    await app.command(typedAfter, 'ask');
    await app.tapLike(typedAfter, 'Rehabilitation');
    await app.send(app.api.text(typedAfter, 'Someone else wrote this long text.', { enqueue: false, forwardOrigin: { type: 'hidden_user', sender_user_name: 'Neighbour' } }));
    await app.say(typedAfter, 'Back');
    await app.say(typedAfter, 'Which papers do I need for a nurse at home?');
    await app.tapLike(typedAfter, 'Almaty (city)');
    const second = app.drain(typedAfter).find((t) => t.includes('has been sent'))!.match(/Q-\d{4}-\d{6}/)![0];
    expect(threadText(app, (await app.bot.services.inquiries.get(second))!.threadId!)).toContain('Citizen: Which papers do I need for a nurse at home?');

    const lookedUp = 5506;
    await onboard(app, lookedUp);
    await app.send(app.api.text(lookedUp, 'Free wheelchairs are given to every child until 18.', { enqueue: false, forwardOrigin: { type: 'user', sender_user: { id: 779, is_bot: false, first_name: 'Marat' } } }));
    await app.tapLike(lookedUp, 'Ask a person');
    await app.tapLike(lookedUp, 'Rehabilitation');
    await app.tapLike(lookedUp, 'Almaty (city)');
    const third = app.drain(lookedUp).find((t) => t.includes('has been sent'))!.match(/Q-\d{4}-\d{6}/)![0];
    expect(threadText(app, (await app.bot.services.inquiries.get(third))!.threadId!)).toContain('Citizen forwarded a message from Marat: Free wheelchairs are given to every child until 18.');
  });

  it('a forwarded voice message sent to a person as a new question: its topic says it was forwarded', async () => {
    const chat = 5504;
    await onboard(app, chat);
    await app.send(app.api.voice(chat, { enqueue: false, forwardOrigin: { type: 'hidden_user', sender_user_name: 'Doctor Ermek' } }));
    await app.tap(chat, 'Send it to a person');
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    const threadId = (await app.bot.services.inquiries.get(ref!))!.threadId!;
    expect(copiesIn(threadId).map((c) => c.text)).toEqual(['Citizen forwarded a message from Doctor Ermek: [voice message]']);
  });
});
