import { formatPhone } from '../domain/phone.js';
import { regionName } from '../domain/regions.js';
import { formatKzDate, formatKzDateTime } from '../domain/kz-time.js';
import { resolveOptions } from './options.js';
import { locationAnswer } from './answers.js';
import type { SceneDef, StepContext, StepDef, StoredAnswers } from './types.js';

/** The steps that apply to these answers, in order (branches drop the ones that do not). */
export function applicableSteps<A>(def: SceneDef<A>, answers: Partial<A>): Array<StepDef<A>> {
  return def.steps.filter((step) => !step.when || step.when(answers));
}

/** The first applicable step after `fromId` (or the first of all), or null at the end. */
export function nextStep<A>(def: SceneDef<A>, answers: Partial<A>, fromId: string | null): StepDef<A> | null {
  const steps = applicableSteps(def, answers);
  if (fromId === null) return steps[0] ?? null;
  const order = def.steps.map((s) => s.id);
  const from = order.indexOf(fromId);
  return steps.find((step) => order.indexOf(step.id) > from) ?? null;
}

/** After an edit from the summary: the first applicable step still unanswered, else the summary. */
export function nextAfterEdit<A>(def: SceneDef<A>, answers: Partial<A>): StepDef<A> | null {
  const steps = applicableSteps(def, answers);
  return steps.find((step) => step.kind !== 'confirm' && !(step.id in answers)) ?? steps.find((s) => s.kind === 'confirm') ?? null;
}

/** Drops answers of steps a changed branch made irrelevant, so nothing stale is submitted. */
export function pruneAnswers<A>(def: SceneDef<A>, answers: StoredAnswers): StoredAnswers {
  const keep = new Set(applicableSteps(def, def.answers.draft(answers)).map((s) => s.id));
  const ids = new Set(def.steps.map((s) => s.id));
  return Object.fromEntries(Object.entries(answers).filter(([key]) => keep.has(key) || !ids.has(key)));
}

async function describeAnswer<A>(step: StepDef<A>, value: unknown, answers: Partial<A>, ctx: StepContext): Promise<string> {
  if (step.summarize) return step.summarize(value, answers, ctx);
  switch (step.kind) {
    case 'choice': {
      const options = await resolveOptions(step, answers, ctx);
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      return values.map((v) => options.find((o) => o.value === v)?.label ?? v).join(', ');
    }
    case 'phone':
      return formatPhone(String(value));
    case 'location': {
      const parsed = locationAnswer.safeParse(value);
      const location = parsed.success ? parsed.data : null;
      if (!location) return ctx.t('common:location.none');
      if (location.type === 'region') return regionName(location.region, ctx.locale);
      return ctx.t('common:location.point', { latitude: location.latitude.toFixed(4), longitude: location.longitude.toFixed(4) });
    }
    case 'date':
      return step.withTime ? formatKzDateTime(new Date(String(value)), ctx.locale) : formatKzDate(new Date(String(value)), ctx.locale);
    case 'consent':
      return ctx.t('common:consent.given');
    default:
      return String(value);
  }
}

/** "Label: answer" for each answered step, for the summary before submitting. */
export async function summaryLines<A>(def: SceneDef<A>, answers: Partial<A>, ctx: StepContext): Promise<string[]> {
  const lines: string[] = [];
  for (const step of applicableSteps(def, answers)) {
    const stored: StoredAnswers = answers;
    if (step.kind === 'confirm' || !(step.id in stored)) continue;
    const label = ctx.t(step.summaryKey ?? `${def.namespace}:${step.id}.summary`);
    lines.push(`${label}: ${await describeAnswer(step, stored[step.id], answers, ctx)}`);
  }
  return lines;
}
