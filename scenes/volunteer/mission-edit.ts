import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { StepContext } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { dateAnswer, locationAnswer } from '../../src/engine/answers.js';
import { allows } from '../../src/app/access.js';
import { missionDetailsText } from '../../src/features/volunteer/mission-texts.js';
import { missionChangeLines } from '../../src/features/volunteer/mission-edit-texts.js';
import type { EditableField } from '../../src/features/volunteer/mission-edit.model.js';
import type { MissionChange } from '../../src/features/volunteer/mission-edit.js';
import type { MissionRecord } from '../../src/features/volunteer/mission.model.js';
import {
  missionDescriptionStep,
  missionDurationStep,
  missionLocationStep,
  missionPlaceStep,
  missionSlotsStep,
  missionStartStep,
  missionTitleStep,
  startProblem,
} from './mission-steps.js';

export const MISSION_EDIT_SCENE = 'mission-edit';

/** What the coordinator picks to change, and the mission field each one is. */
const CHOICES = ['title', 'description', 'place', 'start', 'duration', 'slots'] as const;
type Choice = (typeof CHOICES)[number];
const FIELD: Record<Choice, EditableField> = {
  title: 'title',
  description: 'description',
  place: 'place',
  start: 'startsAt',
  duration: 'durationHours',
  slots: 'slots',
};

const answers = z.object({
  /** The mission's id, from the seed. */
  mission: z.string(),
  /** The mission's version when the screen opened: the save is refused if it changed since. */
  version: z.number().int().min(0),
  /** Names this screen's save, so the same save run again finishes itself (mission-edit.ts). */
  token: z.string(),
  field: z.enum(CHOICES),
  title: z.string().optional(),
  description: z.string().optional(),
  place: z.string().optional(),
  location: locationAnswer.optional(),
  start: dateAnswer.optional(),
  duration: z.number().int().optional(),
  slots: z.number().int().optional(),
  save: z.enum(['yes', 'no']),
});
type Answers = z.output<typeof answers>;

const asked = (choice: Choice) => (a: Partial<Answers>) => a.field === choice;

/** The new value as the mission would hold it. */
function changeOf(a: Partial<Answers>): MissionChange {
  switch (a.field) {
    case 'title':
      return { title: a.title };
    case 'description':
      return { description: a.description };
    case 'place':
      return { place: a.place, ...(a.location?.type === 'point' ? { latitude: a.location.latitude, longitude: a.location.longitude } : {}) };
    case 'start':
      return a.start ? { startsAt: new Date(a.start) } : {};
    case 'duration':
      return { durationHours: a.duration };
    case 'slots':
      return { slots: a.slots };
    default:
      return {};
  }
}

function mayManage(ctx: StepContext, mission: MissionRecord): Promise<boolean> {
  return ctx.access().then((access) => allows(access, 'missions.manage', { region: String(mission.region) }));
}

const isEditable = (ctx: StepContext, m: MissionRecord | null): m is MissionRecord => m !== null && m.status === 'open' && !ctx.deps.services.missions.hasStarted(m);

/**
 * A coordinator changes one detail of a published mission (opened from the mission's screen in
 * mission-manage, or the "Change details" button under its team). The questions are the
 * publishing form's own (mission-steps.ts); the volunteers holding a place or waiting are told.
 */
export const missionEditScene = defineScene(answers, {
  id: MISSION_EDIT_SCENE,
  version: 1,
  namespace: 'volunteer',
  titleKey: 'volunteer:mission-edit.title',
  permission: 'missions.manage',
  // The mission's region must stay in the coordinator's regions on every input (the router checks).
  async scope(a, ctx) {
    const mission = a.mission ? await ctx.deps.services.missions.get(a.mission) : null;
    return mission ? { region: String(mission.region) } : undefined;
  },
  inactivitySeconds: 30 * 60,
  async enter(ctx, seed) {
    const id = seed.mission ?? '';
    const mission = await ctx.deps.services.missions.missionForEdit(id);
    if (!isEditable(ctx, mission)) return { refuse: [{ kind: 'text', text: ctx.t('volunteer:mission-edit.closed') }] };
    // A button's data names the mission: one of another region is refused here, and audited.
    if (!(await mayManage(ctx, mission))) {
      await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'missions.manage', `mission:${id}`, { action: 'edit', stage: 'open' });
      return { refuse: [{ kind: 'text', text: ctx.t('volunteer:mission-edit.no-access') }] };
    }
    return { answers: { mission: id, version: mission.version ?? 0, token: randomBytes(8).toString('hex') } };
  },
  steps: [
    {
      id: 'field',
      kind: 'choice',
      prompt: 'volunteer:mission-edit.pick',
      promptParams: async (a, ctx) => {
        const mission = a.mission ? await ctx.deps.services.missions.get(a.mission) : null;
        return { details: mission ? missionDetailsText(ctx.t, ctx.locale, mission) : '' };
      },
      options: CHOICES.map((c) => ({ value: c, labelKey: `volunteer:mission-edit.field.${c}` })),
    },
    missionTitleStep(asked('title')),
    missionDescriptionStep(asked('description')),
    missionPlaceStep(asked('place')),
    missionLocationStep(asked('place')),
    missionStartStep(asked('start')),
    missionDurationStep(asked('duration')),
    missionSlotsStep(asked('slots'), async (value, a, ctx) => {
      // Nobody holding a place loses it: fewer places than that are refused (docs/missions.md).
      const taken = a.mission ? await ctx.deps.services.missions.acceptedCount(a.mission) : 0;
      return Number(value) < taken ? { errorKey: 'volunteer:mission-edit.slots-below-taken', params: { count: taken } } : undefined;
    }),
    {
      id: 'save',
      kind: 'choice',
      prompt: 'volunteer:mission-edit.confirm',
      promptParams: async (a, ctx) => {
        const mission = a.mission ? await ctx.deps.services.missions.get(a.mission) : null;
        const field = a.field ? FIELD[a.field] : undefined;
        if (!mission || !field) return { changes: '' };
        return { changes: missionChangeLines(ctx.t, ctx.locale, [field], mission, changeOf(a)) };
      },
      options: [
        { value: 'yes', labelKey: 'volunteer:mission-edit.save-yes' },
        { value: 'no', labelKey: 'volunteer:mission-edit.save-no' },
      ],
    },
  ],
  async complete(a, ctx) {
    const say = (key: string, params?: Record<string, unknown>) => ({ replies: [{ kind: 'text' as const, text: ctx.t(key, params) }] });
    if (a.save !== 'yes') return say('volunteer:mission-edit.kept');
    const { missions } = ctx.deps.services;
    const mission = await missions.get(a.mission);
    if (!isEditable(ctx, mission)) return say('volunteer:mission-edit.closed');
    // Access is read again at the moment of saving: it may have been taken away meanwhile.
    if (!(await mayManage(ctx, mission))) {
      await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'missions.manage', `mission:${a.mission}`, { action: 'edit', stage: 'save' });
      return say('volunteer:mission-edit.no-access');
    }
    // A start typed a while ago may have passed since.
    const startError = a.field === 'start' ? startProblem(a.start, ctx) : undefined;
    if (startError) return say(startError);
    const result = await missions.editMission(a.mission, a.version, a.token, changeOf(a), ctx.meta.userId);
    switch (result.status) {
      case 'saved':
        return say('volunteer:mission-edit.saved', { count: result.told });
      case 'stale':
        return say('volunteer:mission-edit.stale');
      case 'closed':
        return say('volunteer:mission-edit.closed');
      case 'unchanged':
        return say('volunteer:mission-edit.unchanged');
      case 'too-few-places':
        return say('volunteer:mission-edit.slots-below-taken', { count: result.taken });
    }
  },
});
