import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/models/counter.js';
import { volunteerModel, type VolunteerModel, type VolunteerRecord } from './volunteer.model.js';
import { matchListModel, matchMarkModel, type MatchListModel, type MatchMarkModel } from './match-lists.model.js';
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
/** The token of a key nothing has changed since lists existed: no mark record yet. */
const UNMARKED = 'unmarked';

/** Whether a volunteer record belongs on the list of `key`: the rules of fitsMission bar skills. */
function belongs(c: Candidate, key: string): boolean {
  return c.paused !== true && c.blocked !== true && fitsMission(c, keyCriteria(key));
}

const pack = (c: Candidate): string => JSON.stringify([c.userId, c.chatId, c.locale, [...c.skills]] satisfies Packed);
const unpack = (members: string): MatchMember[] =>
  (JSON.parse(members) as Packed[]).map(([userId, chatId, locale, skills]) => ({ userId, chatId, locale, skills }));
/** Volunteers per list record: about 4 KB, kept in PostgreSQL's table itself (see the model). */
const PART_SIZE = 100;

interface StoredPart {
  build: string;
  part: number;
  parts: number;
  token: string;
  members: string;
}

/** The members of a complete build stored under `token`, or null when there is none. */
function current(stored: StoredPart[], token: string): MatchMember[] | null {
  const builds = new Map<string, StoredPart[]>();
  for (const p of stored) if (p.token === token) builds.set(p.build, [...(builds.get(p.build) ?? []), p]);
  for (const parts of builds.values()) {
    const count = parts[0]!.parts;
    const byPart = new Map(parts.map((p) => [p.part, p]));
    if (byPart.size !== count) continue; // a build still being written, or one half deleted
    return Array.from({ length: count }, (_, i) => unpack(byPart.get(i)!.members)).flat();
  }
  return null;
}

/**
 * Mission matching in a few record reads. FerretDB spends about 0.1 ms of its own CPU on every
 * record a query returns, however small (measured: 1,300 two-field records took 120-170 ms, the
 * same 1,300 volunteers packed into strings 10-20 ms), so the ~1,100 volunteers a mission
 * selects at country scale are kept packed, 100 to a record, per match key, built from the
 * volunteer records (the `{ matchKeys }` index) the first time a key is asked for after a change.
 *
 * Keeping lists current without transactions: every change to the volunteers of a key writes a
 * fresh token into the key's mark and deletes its list (`touch`, after the volunteer record is
 * written); a build reads the mark before it reads the volunteers and stores the token it saw.
 * A list is used only while its token is still the mark's and all its parts are there, so a
 * build that raced a change is never trusted, and a volunteer's entries go with the change
 * that removes them.
 */
export class MatchLists {
  private readonly volunteers: VolunteerModel;
  private readonly lists: MatchListModel;
  private readonly marks: MatchMarkModel;

  constructor(connection: Connection) {
    this.volunteers = volunteerModel(connection);
    this.lists = matchListModel(connection);
    this.marks = matchMarkModel(connection);
  }

  /** The volunteers `key` selects (everything but skills checked): the list, or built now. */
  async members(key: string): Promise<MatchMember[]> {
    const [mark, stored] = await Promise.all([
      this.marks.findById(key, { token: 1 }).lean<{ token: string }>(),
      this.lists.find({ key }, { build: 1, part: 1, parts: 1, token: 1, members: 1 }).lean<StoredPart[]>(),
    ]);
    const token = mark?.token ?? UNMARKED;
    return current(stored, token) ?? this.build(key, token);
  }

  /** Reads the volunteers of `key` from their records and stores them as its list under `token`. */
  private async build(key: string, token: string): Promise<MatchMember[]> {
    const candidates = await this.volunteers.find({ matchKeys: key }, CANDIDATE).lean<Candidate[]>();
    const packed = candidates.filter((c) => belongs(c, key)).map(pack);
    await this.store(key, token, packed);
    return unpack(`[${packed.join(',')}]`);
  }

  /** Writes a new build of the list, then removes the others (a new build id: no write collides). */
  private async store(key: string, token: string, packed: string[]): Promise<void> {
    const build = randomUUID();
    const parts = Math.max(1, Math.ceil(packed.length / PART_SIZE));
    await this.lists.insertMany(
      Array.from({ length: parts }, (_, part) => ({
        _id: `${key}#${build}#${part}`,
        key,
        build,
        part,
        parts,
        token,
        members: `[${packed.slice(part * PART_SIZE, (part + 1) * PART_SIZE).join(',')}]`,
      })),
    );
    await this.lists.deleteMany({ key, build: { $ne: build } });
  }

  /**
   * After a change to volunteers of these keys (written first): new marks, and their lists gone.
   * Both are written by key equality, which FerretDB hands to PostgreSQL.
   */
  async touch(keys: Iterable<string>): Promise<void> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return;
    const marks = unique.map((key) => ({ updateOne: { filter: { _id: key }, update: { $set: { token: randomUUID() } }, upsert: true } }));
    try {
      await this.marks.bulkWrite(marks, { ordered: false });
    } catch (error) {
      // A first mark of a key raced by another change: written again, the upsert finds it.
      if (!isDuplicateKey(error)) throw error;
      await this.marks.bulkWrite(marks, { ordered: false });
    }
    await this.lists.bulkWrite(unique.map((key) => ({ deleteMany: { filter: { key } } })), { ordered: false });
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
    // Marks first, volunteers after, as a single build does.
    const tokens = new Map((await this.marks.find({}, { token: 1 }).lean<Array<{ _id: string; token: string }>>()).map((m) => [m._id, m.token]));
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
    for (const [key, packed] of lists) await this.store(key, tokens.get(key) ?? UNMARKED, packed);
    return lists.size;
  }
}
