// Shared by the match-list tests (mission-match-lists, mission-match-races).
import type { Connection } from 'mongoose';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { matchChangeModel, matchListModel } from '../../src/features/volunteer/match-lists.model.js';

/** Every volunteer id written in any stored list record (to see that a chat id is gone). */
export async function listedVolunteers(mongo: Connection): Promise<number[]> {
  const lists = await matchListModel(mongo).find({}, { members: 1 }).lean<Array<{ members: string }>>();
  return lists.flatMap((l) => (JSON.parse(l.members) as Array<[number]>).map((m) => m[0]));
}

/** The unique indexes the races rely on, built before the first write. */
export async function initMatchModels(mongo: Connection): Promise<void> {
  await Promise.all([volunteerModel(mongo).init(), matchListModel(mongo).init(), matchChangeModel(mongo).init()]);
}
