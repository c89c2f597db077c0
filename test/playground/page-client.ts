// The playground page's own API as its buttons and message box use it, for tests that need the
// whole playground process but no browser: type, press a button on a message, read a chat.
import { expect } from 'vitest';
import type { PageChat } from '../../src/playground/views.js';

export interface PageClient {
  chat(persona: string): Promise<PageChat>;
  /** Id of the newest message in the persona's chat (0 when empty), to wait for what comes after. */
  lastId(persona: string): Promise<number>;
  say(persona: string, text: string): Promise<void>;
  /** Waits until the bot has said `fragment` in a message newer than `after`. */
  seeBot(persona: string, fragment: string, after?: number, timeoutMs?: number): Promise<PageChat>;
  /** Presses the button labelled `label` on the newest bot message that has it; returns the chat as it was. */
  press(persona: string, label: string): Promise<PageChat>;
  /** press(), then waits for the chat to change (an edit or a new message). */
  tap(persona: string, label: string): Promise<void>;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 150));

export function pageClient(url: string): PageClient {
  const post = (persona: string, action: unknown) =>
    fetch(`${url}api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona, action }) });
  const chat = async (persona: string) => (await (await fetch(`${url}api/chat?persona=${persona}`)).json()) as PageChat;
  const client: PageClient = {
    chat,
    lastId: async (persona) => (await chat(persona)).messages.at(-1)?.id ?? 0,
    async say(persona, text) {
      expect((await post(persona, { type: 'text', text })).status).toBe(200);
    },
    async seeBot(persona, fragment, after = 0, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const now = await chat(persona);
        if (now.messages.some((m) => m.id > after && m.from === 'bot' && m.text?.includes(fragment))) return now;
        if (Date.now() > until) throw new Error(`${persona}: no "${fragment}" from the bot; last: ${JSON.stringify(now.messages.slice(-2))}`);
        await pause();
      }
    },
    async press(persona, label) {
      // A screen can come as several messages (previews, then the one with the buttons): wait for
      // the button to be there, as a person would, rather than count on a pause having let it arrive.
      const until = Date.now() + 30_000;
      for (;;) {
        const before = await chat(persona);
        const message = [...before.messages].reverse().find((m) => m.buttons?.flat().some((b) => b.text.includes(label)));
        const button = message?.buttons?.flat().find((b) => b.text.includes(label));
        if (message && button) {
          expect((await post(persona, { type: 'callback', messageId: message.id, data: button.data })).status).toBe(200);
          return before;
        }
        if (Date.now() > until) throw new Error(`${persona}: no button "${label}"; last: ${JSON.stringify(before.messages.slice(-2))}`);
        await pause();
      }
    },
    async tap(persona, label) {
      const before = await client.press(persona, label);
      const until = Date.now() + 30_000;
      // The answer is an edit or a new message: wait until the chat differs from before the press.
      while (JSON.stringify((await chat(persona)).messages) === JSON.stringify(before.messages)) {
        if (Date.now() > until) throw new Error(`${persona}: nothing happened after "${label}"`);
        await pause();
      }
    },
  };
  return client;
}
