import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/models/counter.js';
import { volunteerModel, type VolunteerModel, type VolunteerRecord } from './volunteer.model.js';
import { matchChangeModel, matchListModel, type MatchChangeModel, type MatchListModel } from './match-lists.model.js';
import { keyCriteria } from './match-keys.js';
import { fitsMission } from './mission-match.js';

/** One volunteer of a list: who to invite, in which language, and the skills a mission may ask for. */
export interface MatchMember {
  userId: number;
  chatId: number;
  locale: string;
  skills: string[];
}

type Packed = [number, number, string, string[]];
type Candidate = Pick<VolunteerRecord, 'userId' | 'chatId' | 'locale' | 'region' | 'areas' | 'skills' | 'age' | 'availability' | 'paused' | 'blocked'> & { matchKeys?: string[] | null };
const CANDIDATE = { userId: 1, chatId: 1, locale: 1, region: 1, areas: 1, skills: 1, age: 1, availability: 1, paused: 1, blocked: 1 } as const;
/** Volunteers per list record: about 4 KB, kept in PostgreSQL's table itself (see the model). */
const PART_SIZE = 100;
/** Tries at a change number when other changes of the same key keep taking it first. */
const NUMBER_TRIES = 8;

/** Whether a volunteer record belongs on the list of `key`: the rules of fitsMission bar skills. */
function belongs(c: Candidate, key: string): boolean {
  return c.paused !== true && c.blocked !== true && fitsMission(c, keyCriteria(key));
}

const pack = (m: MatchMember): string => JSON.stringify([m.userId, m.chatId, m.locale, [...m.skills]] satisfies Packed);
const unpack = (members: string): MatchMember[] =>
  (JSON.parse(members) as Packed[]).map(([userId, chatId, locale, skills]) => ({ userId, chatId, locale, skills }));

interface StoredPart {
  build: string;
  part: number;
  parts: number;
  seq: number;
  members: string;
}

/** The members of a complete build for change number `seq`, or null when there is none. */
function current(stored: StoredPart[], seq: number): MatchMember[] | null {
  const builds = new Map<string, StoredPart[]>();
  for (const p of stored) if (p.seq === seq) builds.set(p.build, [...(builds.get(p.build) ?? []), p]);
  for (const parts of builds.values()) {
    const count = parts[0]!.parts;
    const byPart = new Map(parts.map((p) => [p.part, p]));
    if (byPart.size !== count) continue; // a build still being written, or half deleted
    return Array.from({ length: count }, (_, i) => unpack(byPart.get(i)!.members)).flat();
  }
  return null;
}

const latest = (changes: Array<{ seq: number }>): number => changes.reduce((top, c) => Math.max(top, c.seq), 0);

/**
 * Mission matching in a few record reads. FerretDB spends about 0.1 ms of its own CPU on every
 * record a query returns, however small (measured: 1,300 two-field records took 120-170 ms, the
 * same 1,300 volunteers packed into strings 10-20 ms), so the ~1,100 volunteers a mission
 * selects at country scale are kept packed, 100 to a record, per match key.
 *
 * Keeping lists current without transactions. Every change to the volunteers of a key takes the
 * key's next change number (a unique record: two changes never share one), after the volunteer
 * record is written. A list is current for the number it carries: a build reads the number
 * before it reads the volunteer records; a change patches the list of the number before its own
 * (the volunteer taken out, and put back as their record reads now, read after the number was
 * taken) into a list of its own number. A list of any other number, or with a part missing, is
 * never used: the key's list is then built again from the volunteer records (`{ matchKeys }`),
 * which is what a change finds when the list it would patch is not there.
 */
export class MatchLists {
  private readonly volunteers: VolunteerModel;
  private readonly lists: MatchListModel;
  private readonly changes: MatchChangeModel;

  constructor(connection: Connection) {
    this.volunteers = volunteerModel(connection);
    this.lists = matchListModel(connection);
    this.changes = matchChangeModel(connection);
  }

  /** The volunteers `key` selects (everything but skills checked): the list, or built now. */
  async members(key: string): Promise<MatchMember[]> {
    const [changes, stored] = await Promise.all([this.changes.find({ key }, { seq: 1 }).lean<Array<{ seq: number }>>(), this.stored(key)]);
    const seq = latest(changes);
    return current(stored, seq) ?? this.build(key, seq);
  }

  private stored(key: string): Promise<StoredPart[]> {
    return this.lists.find({ key }, { build: 1, part: 1, parts: 1, seq: 1, members: 1 }).lean<StoredPart[]>();
  }

  /** Reads the volunteers of `key` from their records and stores them as its list for `seq`. */
  private async build(key: string, seq: number): Promise<MatchMember[]> {
    const candidates = await this.volunteers.find({ matchKeys: key }, CANDIDATE).lean<Candidate[]>();
    const members = candidates.filter((c) => belongs(c, key));
    await this.store(key, seq, members.map(pack));
    return members.map((c) => ({ userId: c.userId, chatId: c.chatId, locale: c.locale, skills: [...c.skills] }));
  }

  /** Writes a new build of the list, then removes the builds it replaces (never a newer one). */
  private async store(key: string, seq: number, packed: string[]): Promise<void> {
    const build = randomUUID();
    const parts = Math.max(1, Math.ceil(packed.length / PART_SIZE));
    await this.lists.insertMany(
      Array.from({ length: parts }, (_, part) => ({
        _id: `${key}#${build}#${part}`,
        key,
        build,
        part,
        parts,
        seq,
        members: `[${packed.slice(part * PART_SIZE, (part + 1) * PART_SIZE).join(',')}]`,
      })),
    );
    await this.lists.deleteMany({ key, seq: { $lte: seq }, build: { $ne: build } });
  }

  /** Takes the key's next change number; older numbers are removed (the highest is what counts). */
  private async next(key: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const seq = latest(await this.changes.find({ key }, { seq: 1 }).lean<Array<{ seq: number }>>()) + 1;
      try {
        await this.changes.create({ _id: `${key}#${seq}`, key, seq });
      } catch (error) {
        // Another change took this number first: take the one after.
        if (isDuplicateKey(error) && attempt < NUMBER_TRIES) continue;
        throw error;
      }
      await this.changes.deleteMany({ key, seq: { $lt: seq } });
      return seq;
    }
  }

  /**
   * After a change to volunteers of these keys (their records written first): each key takes its
   * next change number, and its list is patched with `userId` as their record reads now (read
   * after the numbers were taken, so it holds every change numbered before), or dropped when
   * there is no list to patch or no one volunteer changed. All by key equality, which FerretDB
   * hands to PostgreSQL.
   */
  async touch(keys: Iterable<string>, userId?: number): Promise<void> {
    const numbered: Array<[string, number]> = [];
    for (const key of new Set(keys)) numbered.push([key, await this.next(key)]);
    if (numbered.length === 0) return;
    const now = userId === undefined ? null : await this.volunteers.findOne({ userId }, { ...CANDIDATE, matchKeys: 1 }).lean<Candidate>();
    for (const [key, seq] of numbered) {
      const base = userId === undefined ? null : current(await this.stored(key), seq - 1);
      if (!base) {
        // Built again on first use; gone now, with the chat ids it held.
        await this.lists.deleteMany({ key, seq: { $lt: seq } });
        continue;
      }
      const rest = base.filter((m) => m.userId !== userId);
      const listed = now !== null && (now.matchKeys ?? []).includes(key) && belongs(now, key);
      await this.store(key, seq, [...rest, ...(listed ? [now] : [])].map(pack));
    }
  }

  /** Drops every list (after the keys' format changed): they are built again on first use. */
  async clear(): Promise<void> {
    await this.lists.deleteMany({});
  }

  /**
   * Builds the list of every key in one pass over the volunteer records, when there are no lists
   * at all (a new installation, or after the key format changed): the first missions then read
   * a list instead of building one. Returns how many lists it wrote.
   */
  async buildAll(): Promise<number> {
    if ((await this.lists.exists({})) !== null) return 0;
    // Change numbers first, volunteers after, as a single build does.
    const seqs = new Map<string, number>();
    for (const c of await this.changes.find({}, { key: 1, seq: 1 }).lean<Array<{ key: string; seq: number }>>()) seqs.set(c.key, Math.max(seqs.get(c.key) ?? 0, c.seq));
    const lists = new Map<string, string[]>();
    const cursor = this.volunteers.find({}, { ...CANDIDATE, matchKeys: 1 }).lean<Candidate[]>().cursor({ batchSize: 1000 });
    for await (const c of cursor as AsyncIterable<Candidate>) {
      for (const key of new Set(c.matchKeys ?? [])) {
        if (!belongs(c, key)) continue;
        const list = lists.get(key) ?? [];
        list.push(pack(c));
        lists.set(key, list);
      }
    }
    for (const [key, packed] of lists) await this.store(key, seqs.get(key) ?? 0, packed);
    return lists.size;
  }
}
