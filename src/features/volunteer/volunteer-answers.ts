import type { AcceptResult, MissionsService, ReleaseResult } from './missions.service.js';

/** A volunteer's answer to an invitation or to a "still coming?" reminder. */
/** A reminder's `version`: the mission's when a button was sent (absent when typed on the volunteer page, which asks about the current one). */
export type MissionAnswer = { kind: 'accept' } | { kind: 'decline' } | { kind: 'reminder'; hours: number; coming: boolean; version?: number };

export interface AnswerOutcome {
  /** i18n key of the message telling the volunteer what became of the answer. */
  key: string;
  params: Record<string, unknown>;
  /** False while an earlier answer of the same person is still being saved: they may try again. */
  settled: boolean;
}

function acceptKey(result: AcceptResult): string {
  return `volunteer:mission-answer.${result.status}`;
}

function releaseKey(result: ReleaseResult | 'noted' | 'start-moved', declined: boolean): string {
  if (result === 'released') return declined ? 'volunteer:mission-answer.declined' : 'volunteer:mission-answer.freed';
  if (result === 'noted') return 'volunteer:mission-answer.coming';
  return `volunteer:mission-answer.${result}`;
}

/**
 * One way to answer, whether the volunteer tapped a button on the notification or typed the
 * answer on their volunteer page: the same service calls and the same messages.
 */
export async function answerMission(missions: MissionsService, missionId: string, userId: number, answer: MissionAnswer): Promise<AnswerOutcome> {
  if (answer.kind === 'accept') {
    const result = await missions.accept(missionId, userId);
    return { key: acceptKey(result), params: 'position' in result ? { position: result.position } : {}, settled: result.status !== 'busy' };
  }
  if (answer.kind === 'decline') {
    const result = await missions.decline(missionId, userId);
    return { key: releaseKey(result, true), params: {}, settled: result !== 'busy' };
  }
  // Asked about an earlier start ('start-moved'): neither "coming" nor "cannot come" is an answer for the new one.
  const result = await missions.answerReminder(missionId, userId, answer.hours, answer.coming, answer.version);
  return { key: releaseKey(result, false), params: {}, settled: true };
}
