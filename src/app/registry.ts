import type { Scene } from '../engine/scene.js';
import type { CallbackDef, CommandDef, Feature, HandlerContext, MenuEntry, PersonalDataSection, Role } from './types.js';
import { allows, type Permission } from './access.js';

/** Everything the features plug in, indexed once at start-up. */
export interface Registry {
  scenes: Map<string, Scene>;
  commands: Map<string, CommandDef>;
  callbacks: Map<string, CallbackDef>;
  menu: MenuEntry[];
  staffMenu: MenuEntry[];
  deepLinks: NonNullable<Feature['deepLinks']>;
  personalData: PersonalDataSection[];
  staffChat: Array<NonNullable<Feature['staffChat']>>;
  freeText: Array<NonNullable<Feature['freeText']>>;
  takesTypedGuesses: Array<NonNullable<Feature['takesTypedGuesses']>>;
  sceneAttachment: Array<NonNullable<Feature['sceneAttachment']>>;
  edited: Array<NonNullable<Feature['edited']>>;
  sceneEvents: Array<NonNullable<Feature['sceneEvents']>>;
}

function addUnique<T>(map: Map<string, T>, key: string, value: T, what: string): void {
  if (map.has(key)) throw new Error(`Two features register the ${what} "${key}"`);
  map.set(key, value);
}

export function buildRegistry(features: Feature[]): Registry {
  const registry: Registry = {
    scenes: new Map(),
    commands: new Map(),
    callbacks: new Map(),
    menu: [],
    staffMenu: [],
    deepLinks: [],
    personalData: [],
    staffChat: [],
    freeText: [],
    takesTypedGuesses: [],
    sceneAttachment: [],
    edited: [],
    sceneEvents: [],
  };
  for (const feature of features) {
    for (const scene of feature.scenes ?? []) addUnique(registry.scenes, scene.id, scene, 'scene');
    for (const command of feature.commands ?? []) addUnique(registry.commands, command.command, command, 'command');
    for (const callback of feature.callbacks ?? []) addUnique(registry.callbacks, callback.prefix, callback, 'button prefix');
    registry.menu.push(...(feature.menu ?? []));
    registry.staffMenu.push(...(feature.staffMenu ?? []));
    registry.deepLinks.push(...(feature.deepLinks ?? []));
    registry.personalData.push(...(feature.personalData ?? []));
    if (feature.staffChat) registry.staffChat.push(feature.staffChat);
    if (feature.freeText) registry.freeText.push(feature.freeText);
    if (feature.takesTypedGuesses) registry.takesTypedGuesses.push(feature.takesTypedGuesses);
    if (feature.sceneAttachment) registry.sceneAttachment.push(feature.sceneAttachment);
    if (feature.edited) registry.edited.push(feature.edited);
    if (feature.sceneEvents) registry.sceneEvents.push(feature.sceneEvents);
  }
  registry.menu.sort((a, b) => a.order - b.order);
  registry.staffMenu.sort((a, b) => a.order - b.order);
  return registry;
}

export function allowed(roles: Role[] | undefined, role: Role): boolean {
  if (!roles || roles.length === 0) return true;
  // Admins can do whatever staff can.
  return roles.includes(role) || (role === 'admin' && roles.includes('staff'));
}

/** Role list and permission together: what menus, commands, buttons and scenes declare. */
export async function permitted(ctx: HandlerContext, gate: { roles?: Role[]; permission?: Permission }): Promise<boolean> {
  if (gate.permission && !allows(await ctx.access(), gate.permission)) return false;
  if (gate.roles?.length && !allowed(gate.roles, await ctx.role())) return false;
  return true;
}
