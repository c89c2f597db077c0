import type { Update } from 'grammy/types';
import type { ChatMailbox } from '../session/mailbox.js';
import type { DataCipher } from '../security/crypto.js';
import { updateToInput } from '../telegram/update-to-input.js';

/**
 * "Delete my data" reaches what the chat mailbox keeps of a person beside their session: the
 * sessions set aside because they could not be read (half-filled forms) and the dead letters of
 * their updates (what they typed, an IIN perhaps). Both are sealed, but they are theirs. Run
 * before the commit that deletes the session, so a failure here runs the whole update again.
 */
export async function eraseChatLeftovers(mailbox: ChatMailbox, cipher: DataCipher, chatId: number): Promise<void> {
  await mailbox.eraseSetAside(chatId);
  // Dead letters are filed under their chat when written. Those an earlier release kept in one
  // list name no chat in the clear: each sealed update tells whose it is, opened once, the first
  // time anyone erases, and filed like new ones; after that nobody's letters are read but theirs.
  await mailbox.adoptLegacyDeadLetters((record) => deadLetterChat(cipher, record));
  await mailbox.forgetDeadLetters(chatId);
}

function deadLetterChat(cipher: DataCipher, record: Record<string, unknown>): number | undefined {
  if (typeof record.update !== 'string') return undefined;
  try {
    return updateToInput(JSON.parse(cipher.decrypt(record.update)) as Update)?.meta.chatId;
  } catch {
    // Sealed with another DATA_KEY, or not an update we serve: nobody's this process can tell.
    return undefined;
  }
}
