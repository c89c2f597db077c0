// Drives the scene engine directly, without Telegram, Redis or MongoDB: the engine is a
// function of (state, input), so its tests feed inputs and read replies and state.
import { createI18n, type I18n } from '../../src/i18n/index.js';
import type { EngineOutcome, Input, SceneState } from '../../src/engine/types.js';
import type { Scene } from '../../src/engine/scene.js';
import type { SceneContext, SceneDeps } from '../../src/engine/context.js';
import type { Locale, Reply } from '../../src/telegram/types.js';

let shared: Promise<I18n> | undefined;
export const i18n = () => (shared ??= createI18n());

export async function engineContext(locale: Locale = 'en', now = new Date('2026-11-22T10:00:00Z'), data: Record<string, unknown> = {}): Promise<SceneContext> {
  const translations = await i18n();
  const deps = { now: () => now, config: { DEFAULT_LOCALE: 'kk' } } as unknown as SceneDeps;
  return {
    meta: { updateId: 1, chatId: 1, userId: 1 },
    locale,
    t: translations.t(locale),
    tIn: (other) => translations.t(other),
    session: { data },
    deps,
    role: async () => 'citizen',
    access: async () => null,
  };
}

/** Keeps the state between inputs, as the router does, and shows what the user saw. */
export class SceneDriver {
  state: SceneState | null = null;
  last: EngineOutcome | null = null;

  constructor(
    readonly def: Scene,
    readonly ctx: SceneContext,
  ) {}

  async start(seed = {}): Promise<EngineOutcome> {
    this.last = await this.def.start(this.ctx, seed);
    this.state = this.last.state;
    return this.last;
  }

  async send(input: Input): Promise<EngineOutcome> {
    if (!this.state) throw new Error('scene has ended');
    this.last = await this.def.input(this.state, input, this.ctx);
    this.state = this.last.state;
    return this.last;
  }

  say(text: string) {
    return this.send({ kind: 'text', text });
  }

  /** Taps the button whose label contains `label` on the last question. */
  tap(label: string, messageId = 10) {
    const reply = this.lastWithButtons();
    const button = reply.buttons!.flat().find((b) => b.text.includes(label));
    if (!button?.data) throw new Error(`no button "${label}" in ${JSON.stringify(reply.buttons)}`);
    return this.send({ kind: 'callback', data: button.data, queryId: 'q', messageId, messageText: reply.text });
  }

  async back(): Promise<EngineOutcome> {
    this.last = await this.def.back(this.state!, this.ctx);
    this.state = this.last.state;
    return this.last;
  }

  /** The current question again (what the router does after a language change or a resumed draft). */
  async repeat(): Promise<EngineOutcome> {
    this.last = await this.def.present(this.state!, this.ctx);
    this.state = this.last.state;
    return this.last;
  }

  texts(): string[] {
    return (this.last?.replies ?? []).flatMap((r: Reply) => (r.kind === 'text' || r.kind === 'edit' || r.kind === 'toast' ? [r.text] : []));
  }

  lastWithButtons(): Extract<Reply, { kind: 'text' | 'edit' }> {
    const replies = (this.last?.replies ?? []).filter(
      (r): r is Extract<Reply, { kind: 'text' | 'edit' }> => (r.kind === 'text' || r.kind === 'edit') && !!r.buttons?.length,
    );
    const reply = replies[replies.length - 1];
    if (!reply) throw new Error('no question with buttons');
    return reply;
  }
}
