import type { Input } from '../../telegram/types.js';
import type { Scene } from '../../engine/scene.js';
import type { SceneState, StoredAnswers } from '../../engine/types.js';
import { allows, type Permission } from '../access.js';
import { permitted, type Registry } from '../registry.js';
import { sceneView } from '../scene-view.js';
import type { HandlerContext } from '../types.js';

/** The scene's roles, permission and (with the answers so far) scope, checked now. */
export async function sceneAllowed(ctx: HandlerContext, def: Scene, answers: StoredAnswers): Promise<boolean> {
  if (!(await permitted(ctx, def))) return false;
  if (!def.permission || !def.scoped) return true;
  const scope = await def.scope(answers, sceneView(ctx));
  return !scope || allows(await ctx.access(), def.permission, scope);
}

/** A refused attempt, in the audit log: who, what, with which kind of input (never the input itself). */
export async function denied(ctx: HandlerContext, permission: Permission | undefined, target: string, details: Record<string, unknown> = {}): Promise<void> {
  await ctx.deps.services.access.recordDenied(ctx.meta.userId, permission ?? 'staff', target, details);
}

/**
 * A staff scene open while its permission was withdrawn or its scope narrowed: the member is
 * taken out, with a message, before the input is read; nothing of the scene is kept.
 */
export async function leftForLackOfAccess(registry: Registry, ctx: HandlerContext, input: Input): Promise<boolean> {
  const scene = ctx.session.scene;
  const def = scene && registry.scenes.get(scene.id);
  if (!scene || !def || (!def.permission && !def.roles?.length)) return false;
  if (await sceneAllowed(ctx, def, scene.answers)) return false;
  await takeOut(ctx, def, scene, input);
  return true;
}

/**
 * The answer just taken may be what the scope is read from: an application or a mission picked
 * from a list shown before the member's regions were narrowed (its buttons, or its numbers typed,
 * still offer what the list held then). The scene's next question would show it (an applicant's
 * name and phone), so the new answers are checked before any of its replies go out. False when
 * the member was taken out.
 */
export async function answerStaysInScope(ctx: HandlerContext, def: Scene, before: SceneState, after: SceneState | null, input: Input): Promise<boolean> {
  if (!after || !def.scoped || after.answers === before.answers) return true;
  if (await sceneAllowed(ctx, def, after.answers)) return true;
  await takeOut(ctx, def, before, input, { answered: true });
  return false;
}

async function takeOut(ctx: HandlerContext, def: Scene, scene: SceneState, input: Input, details: Record<string, unknown> = {}): Promise<void> {
  await denied(ctx, def.permission, `scene:${def.id}`, { step: scene.step, input: input.kind, ...details });
  delete ctx.session.scene;
  delete ctx.session.resumeOffer;
  if (ctx.session.drafts) delete ctx.session.drafts[scene.id];
  if (input.kind === 'callback') ctx.reply({ kind: 'toast', text: ctx.t('errors:access-withdrawn') });
  ctx.reply({ kind: 'text', text: ctx.t('errors:access-withdrawn-scene', { title: ctx.t(def.titleKey) }), keyboard: 'remove' });
  await ctx.showMenu();
}
