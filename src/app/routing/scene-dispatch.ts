import type { Input, Reply } from '../../telegram/types.js';
import type { EngineOutcome, SceneState } from '../../engine/types.js';
import { draftOffer } from '../drafts.js';
import type { Registry } from '../registry.js';
import { sceneView } from '../scene-view.js';
import type { HandlerContext, Session } from '../types.js';
import { answerStaysInScope, denied, sceneAllowed } from './scene-access.js';

/**
 * Runs the open scene and acts on what the engine returns: the replies, the new state, and
 * then what happens next (the next scene, the menu, changes to the features' data). The
 * engine never calls back here; this is the one place that turns an outcome into effects.
 */
export interface SceneDispatch {
  /** Open a scene (a menu entry, a command, a button, or the `next` of a finished scene). */
  enter(ctx: HandlerContext, sceneId: string, seed?: Record<string, unknown>): Promise<void>;
  /** The input as an answer to the open scene; false when no scene is open. */
  answer(ctx: HandlerContext, input: Input): Promise<boolean>;
  back(ctx: HandlerContext): Promise<void>;
  /** The current question again, after `before`; the menu when no scene is open. */
  repeat(ctx: HandlerContext, before?: Reply[]): Promise<void>;
  /** Menu from inside a scene: long forms keep a draft (said in words), short ones are simply left. */
  leaveToMenu(ctx: HandlerContext, sceneId?: string): Promise<void>;
  /** The same without a word, before another menu entry runs. */
  leaveQuietly(ctx: HandlerContext): void;
  resume(ctx: HandlerContext, choice: 'continue' | 'restart'): Promise<void>;
}

function applyData(session: Session, patch: Record<string, unknown>): void {
  const data = { ...session.data };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  session.data = data;
}

export function createSceneDispatch(registry: Registry): SceneDispatch {
  /** Counters of where people give up: a step reached, a scene finished (see Feature.sceneEvents). */
  async function sceneEvent(ctx: HandlerContext, before: SceneState | undefined, outcome: EngineOutcome): Promise<void> {
    if (registry.sceneEvents.length === 0) return;
    const state = outcome.state;
    const event = state
      ? before?.id === state.id && before.step === state.step ? undefined : { scene: state.id, step: state.step }
      : outcome.ended === 'completed' && before ? { scene: before.id, step: 'finished' } : undefined;
    if (!event) return;
    for (const listener of registry.sceneEvents) {
      // Counters must never cost a user their answer.
      await listener(ctx, event).catch((err: unknown) => ctx.deps.logger.warn({ err }, 'scene event listener failed'));
    }
  }

  /** `before` is the scene the outcome follows (for a scene opened as the `next` of another, that one). */
  async function apply(ctx: HandlerContext, outcome: EngineOutcome, before = ctx.session.scene): Promise<void> {
    await sceneEvent(ctx, before, outcome);
    ctx.reply(...outcome.replies);
    if (outcome.state) {
      ctx.session.scene = outcome.state;
      return;
    }
    delete ctx.session.scene;
    if (before && ctx.session.drafts) delete ctx.session.drafts[before.id];
    if (outcome.data) applyData(ctx.session, outcome.data);
    if (outcome.eraseSession) ctx.session.erase = true;
    // The finished scene's replies are queued already, so the next scene's first question follows them.
    if (outcome.next) return open(ctx, outcome.next.scene, outcome.next.seed ?? {}, before);
    if (outcome.ended === 'menu') return leaveToMenu(ctx, before?.id);
    if (outcome.showMenu ?? true) await ctx.showMenu();
  }

  async function leaveToMenu(ctx: HandlerContext, sceneId = ctx.session.scene?.id): Promise<void> {
    const left = ctx.session.scene;
    const def = left ? registry.scenes.get(left.id) : undefined;
    if (left && def?.draftDays) {
      ctx.session.drafts = { ...ctx.session.drafts, [left.id]: left };
      ctx.reply({ kind: 'text', text: ctx.t('common:draft.saved', { title: ctx.t(def.titleKey), count: def.draftDays }), keyboard: 'remove' });
    } else if (sceneId) {
      ctx.reply({ kind: 'text', text: ctx.t('common:scene.left'), keyboard: 'remove' });
    }
    delete ctx.session.scene;
    await ctx.showMenu();
  }

  function leaveQuietly(ctx: HandlerContext): void {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (scene && def?.draftDays) ctx.session.drafts = { ...ctx.session.drafts, [scene.id]: scene };
    delete ctx.session.scene;
  }

  async function repeat(ctx: HandlerContext, before: Reply[] = []): Promise<void> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def) {
      ctx.reply(...before);
      await ctx.showMenu();
      return;
    }
    await apply(ctx, await def.present(scene, sceneView(ctx), before));
  }

  function enter(ctx: HandlerContext, sceneId: string, seed: Record<string, unknown> = {}): Promise<void> {
    return open(ctx, sceneId, seed, ctx.session.scene);
  }

  async function open(ctx: HandlerContext, sceneId: string, seed: Record<string, unknown>, previous: SceneState | undefined): Promise<void> {
    const def = registry.scenes.get(sceneId);
    if (!def) throw new Error(`No scene ${sceneId}`);
    if (!(await sceneAllowed(ctx, def, seed))) {
      if (def.permission) await denied(ctx, def.permission, `scene:${def.id}`, { at: 'enter' });
      ctx.reply({ kind: 'text', text: ctx.t('errors:not-allowed') });
      return ctx.showMenu();
    }
    if (ctx.session.data?.menu) {
      const { menu: _menu, ...data } = ctx.session.data;
      ctx.session.data = data;
    }
    const draft: SceneState | undefined = ctx.session.drafts?.[sceneId];
    if (draft && Object.keys(seed).length === 0) {
      ctx.session.resumeOffer = sceneId;
      ctx.reply(draftOffer(ctx, def, draft));
      return;
    }
    await apply(ctx, await def.start(sceneView(ctx), seed), previous);
  }

  async function answer(ctx: HandlerContext, input: Input): Promise<boolean> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def) return false;
    const outcome = await def.input(scene, input, sceneView(ctx));
    // Checked before the input too (router.ts); this is the scope the answer itself brings.
    if (await answerStaysInScope(ctx, def, scene, outcome.state, input)) await apply(ctx, outcome);
    return true;
  }

  async function back(ctx: HandlerContext): Promise<void> {
    const scene = ctx.session.scene;
    const def = scene && registry.scenes.get(scene.id);
    if (!scene || !def) return ctx.showMenu();
    await apply(ctx, await def.back(scene, sceneView(ctx)));
  }

  async function resume(ctx: HandlerContext, choice: 'continue' | 'restart'): Promise<void> {
    const sceneId = ctx.session.resumeOffer;
    delete ctx.session.resumeOffer;
    const draft = sceneId ? ctx.session.drafts?.[sceneId] : undefined;
    const def = sceneId ? registry.scenes.get(sceneId) : undefined;
    if (!sceneId || !def) return ctx.showMenu();
    if (ctx.session.drafts) delete ctx.session.drafts[sceneId];
    // A draft kept from before the access changed is not a way back in.
    if (!(await sceneAllowed(ctx, def, draft?.answers ?? {}))) {
      await denied(ctx, def.permission, `scene:${def.id}`, { at: 'resume' });
      ctx.reply({ kind: 'text', text: ctx.t('errors:access-withdrawn') });
      return ctx.showMenu();
    }
    if (choice === 'continue' && draft) {
      ctx.session.scene = draft;
      return repeat(ctx);
    }
    return apply(ctx, await def.start(sceneView(ctx)));
  }

  return { enter, answer, back, repeat, leaveToMenu, leaveQuietly, resume };
}
