import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { updateToInput } from '../../src/telegram/update-to-input.js';

const from = { id: 42, is_bot: false, first_name: 'Aigerim', language_code: 'kk' };
const privateChat = { id: 42, type: 'private' as const, first_name: 'Aigerim' };

function edited(extra: Record<string, unknown>, chat: Record<string, unknown> = privateChat): Update {
  return { update_id: 7, edited_message: { message_id: 3, date: 1, edit_date: 2, chat, from, ...extra } } as unknown as Update;
}

describe('updateToInput: edited messages', () => {
  it('a private message edited after it was sent becomes an "edited" input of that chat', () => {
    const read = updateToInput(edited({ text: 'IIN 900101300123' }));
    expect(read?.input).toEqual({ kind: 'edited' });
    expect(read?.meta).toMatchObject({ chatId: 42, userId: 42, messageId: 3, languageCode: 'kk' });
  });

  it('a file replaced in an edit: the edit carries the new file\'s name (a copy made from then on shows it)', () => {
    const file = { file_id: 'f', file_unique_id: 'u' };
    expect(updateToInput(edited({ document: { ...file, file_name: 'IIN 900101300123.pdf' } }))?.input).toEqual({ kind: 'edited', fileNames: ['IIN 900101300123.pdf'] });
    expect(updateToInput(edited({ audio: { ...file, duration: 3, title: 'a', performer: 'b' } }))?.input).toEqual({ kind: 'edited', fileNames: ['a', 'b'] });
  });

  it('a live location moving (Telegram edits its message every few seconds) is not a correction: nothing to answer', () => {
    expect(updateToInput(edited({ location: { latitude: 43.24, longitude: 76.89, live_period: 900 } }))).toBeNull();
  });

  it('an edit in a group is not a citizen\'s (the staff group reads its own edits)', () => {
    expect(updateToInput(edited({ text: 'answer' }, { id: -100123, type: 'supergroup', title: 'Staff', is_forum: true }))).toBeNull();
  });
});

describe('updateToInput: attachments', () => {
  const sent = (extra: Record<string, unknown>): Update =>
    ({ update_id: 8, message: { message_id: 4, date: 1, chat: privateChat, from, ...extra } });

  it('names each attachment operators can take, with the caption the person wrote under it', () => {
    const file = { file_id: 'f', file_unique_id: 'u' };
    expect(updateToInput(sent({ voice: { ...file, duration: 3 }, caption: 'ИИН 900101300123' }))?.input).toEqual({ kind: 'unsupported', media: 'voice', caption: 'ИИН 900101300123' });
    expect(updateToInput(sent({ audio: { ...file, duration: 3 } }))?.input).toEqual({ kind: 'unsupported', media: 'audio' });
    expect(updateToInput(sent({ video: { ...file, duration: 3, width: 1, height: 1 } }))?.input).toEqual({ kind: 'unsupported', media: 'video' });
    expect(updateToInput(sent({ video_note: { ...file, duration: 3, length: 240 } }))?.input).toEqual({ kind: 'unsupported', media: 'video_note' });
    // A GIF also carries `document`; it is no attachment for an operator.
    expect(updateToInput(sent({ animation: { ...file }, document: { ...file } }))?.input).toEqual({ kind: 'unsupported', media: 'animation' });
  });

  it('a file\'s name, an audio\'s title and performer come with it (a copy shows them); none for a file without a name', () => {
    const file = { file_id: 'f', file_unique_id: 'u' };
    expect(updateToInput(sent({ document: { ...file, file_name: 'IIN 950101300123.pdf' } }))?.input).toEqual({ kind: 'unsupported', media: 'document', fileNames: ['IIN 950101300123.pdf'] });
    expect(updateToInput(sent({ audio: { ...file, duration: 3, title: 'Справка', performer: '950101300123', file_name: 'a.mp3' } }))?.input).toMatchObject({ fileNames: ['a.mp3', 'Справка', '950101300123'] });
    expect(updateToInput(sent({ video: { ...file, duration: 3, width: 1, height: 1, file_name: 'v.mp4' } }))?.input).toMatchObject({ fileNames: ['v.mp4'] });
    expect(updateToInput(sent({ document: { ...file } }))?.input).toEqual({ kind: 'unsupported', media: 'document' });
    // A forged update may put anything there: only strings are read.
    expect(updateToInput(sent({ document: { ...file, file_name: 12 } }))?.input).toEqual({ kind: 'unsupported', media: 'document' });
  });

  it('a place picked from the location list (a venue) is its location', () => {
    const location = { latitude: 49.8, longitude: 73.1 };
    const venue = { location, title: 'Hospital', address: 'Karaganda, Lenin St 1' };
    expect(updateToInput(sent({ location, venue }))?.input).toEqual({ kind: 'location', ...location });
  });
});

describe('updateToInput: forwarded messages', () => {
  const sent = (extra: Record<string, unknown>): Update =>
    ({ update_id: 9, message: { message_id: 5, date: 1, chat: privateChat, from, text: 'Your application is refused.', ...extra } });
  const forwardedOf = (extra: Record<string, unknown>) => updateToInput(sent(extra))?.meta.forwarded;

  it('says who wrote it first, as Telegram names them: a person, a hidden account, a group, a channel', () => {
    expect(forwardedOf({ forward_origin: { type: 'user', date: 1, sender_user: { id: 9, is_bot: false, first_name: 'Aida', last_name: 'Sultanova' } } })).toEqual({ from: 'Aida Sultanova' });
    expect(forwardedOf({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Social worker' } })).toEqual({ from: 'Social worker' });
    expect(forwardedOf({ forward_origin: { type: 'chat', date: 1, sender_chat: { id: -1001, type: 'supergroup', title: 'Parents of Taraz' } } })).toEqual({ from: 'Parents of Taraz' });
    expect(forwardedOf({ forward_origin: { type: 'channel', date: 1, chat: { id: -1002, type: 'channel', title: 'Akimat news' }, message_id: 3 } })).toEqual({ from: 'Akimat news' });
    // The message itself is read as any other.
    expect(updateToInput(sent({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'X' } }))?.input).toEqual({ kind: 'text', text: 'Your application is refused.' });
  });

  it('reads the fields of Bot API versions before 7.0 too; a forward with no name is still a forward', () => {
    expect(forwardedOf({ forward_from: { id: 9, is_bot: false, first_name: 'Aida' }, forward_date: 1 })).toEqual({ from: 'Aida' });
    expect(forwardedOf({ forward_sender_name: 'Social worker', forward_date: 1 })).toEqual({ from: 'Social worker' });
    expect(forwardedOf({ forward_from_chat: { id: -1002, type: 'channel', title: 'Akimat news' }, forward_date: 1 })).toEqual({ from: 'Akimat news' });
    expect(forwardedOf({ forward_date: 1 })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: ' ' } })).toEqual({});
  });

  // Found by attack: a forged or malformed webhook update threw here, and any name went to the staff topic as sent.
  it('a malformed origin is a forward with no name, not a crash; a name loses control and direction characters and is cut to 128', () => {
    expect(forwardedOf({ forward_origin: { type: 'user', date: 1 } })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'channel', date: 1 } })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'chat', date: 1, sender_chat: null } })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 42 } })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'user', date: 1, sender_user: { id: 9, first_name: 7 } } })).toEqual({});
    expect(forwardedOf({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Ai\u0000da\u202e \u0007Sul\ntanova' } })).toEqual({ from: 'Aida Sul tanova' });
    expect(forwardedOf({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'x'.repeat(100_000) } })?.from).toHaveLength(128);
  });

  it('a message the person wrote is no forward', () => {
    expect(updateToInput(sent({}))?.meta).not.toHaveProperty('forwarded');
  });
});
