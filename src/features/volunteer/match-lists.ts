import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/models/counter.js';
import { forgetFinished } from '../../db/models/start-up-pass.js';
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
const CANDIDATE = { userId: 1, chatId: 1, locale: 1, region: 1, areas: 1, skills: 1, age: 1, availability: 1, paused: 1, blocked: 1, matchKeys: 1 } as const;
/** Marked once a start has built the list of every key (buildAll); dropped with the lists. */
export const LISTS_BUILT_PASS = 'match-lists-built';
/** Volunteers per list record: about 4 KB, kept in PostgreSQL's table itself (see the model). */
const PART_SIZE = 100;
/**
 * Tries at a change number when other changes of the same key keep taking it first. Every round
 * one of the writers wins, so a burst of n changes on one key needs up to n rounds for its last
 * writer (40 volunteers blocked at once by a broadcast's parallel sends failed after 8): a
 * change that gives up stays pending until the next start-up, and missions go on inviting a
 * volunteer who paused.
 */
const NUMBER_TRIES = 200;
/** The longest pause between two tries, in ms: a random pause spreads the writers out. */
const NUMBER_PAUSE_MS = 20;
/** A reader stores the list it patched once this many changes have piled up on the stored one. */
const STORE_AFTER = 8;
/** A key with this many changes no mission has read yet drops its list: built again when asked for. */
const MOST_CHANGES = 64;

/** Whether a volunteer record belongs on the list of `key`: the rules of fitsMission bar skills. */
function belongs(c: Candidate, key: string): boolean {
  return (c.matchKeys ?? []).includes(key) && c.paused !== true && c.blocked !== true && fitsMission(c, keyCriteria(key));
}

const member = (c: Candidate): MatchMember => ({ userId: c.userId, chatId: c.chatId, locale: c.locale, skills: [...c.skills] });
const pack = (m: MatchMember): string => JSON.stringify([m.userId, m.chatId, m.locale, m.skills] satisfies Packed);
const unpack = (members: string): MatchMember[] =>
  (JSON.parse(members) as Packed[]).map(([userId, chatId, locale, skills]) => ({ userId, chatId, locale, skills }));

interface StoredPart {
  build: string;
  part: number;
  parts: number;
  seq: number;
  members: string;
}

interface Change {
  seq: number;
  userId?: number | null;
}

/** The newest complete build with a number up to `seq`, or null when there is none. */
function newest(stored: StoredPart[], seq: number): { seq: number; members: MatchMember[] } | null {
  const builds = new Map<string, StoredPart[]>();
  for (const p of stored) if (p.seq <= seq) builds.set(p.build, [...(builds.get(p.build) ?? []), p]);
  const complete = [...builds.values()].filter((parts) => new Set(parts.map((p) => p.part)).size === parts[0]!.parts);
  const best = complete.sort((a, b) => b[0]!.seq - a[0]!.seq)[0];
  if (!best) return null;
  const byPart = new Map(best.map((p) => [p.part, p]));
  return { seq: best[0]!.seq, members: Array.from({ length: best[0]!.parts }, (_, i) => unpack(byPart.get(i)!.members)).flat() };
}

const latest = (changes: Change[]): number => changes.reduce((top, c) => Math.max(top, c.seq), 0);

/**
 * Mission matching in a few record reads. FerretDB spends about 0.1 ms of its own CPU on every
 * record a query returns, however small (measured: 1,300 two-field records took 120-170 ms, the
 * same 1,300 volunteers packed into strings 10-20 ms), so the ~1,100 volunteers a mission
 * selects at country scale are kept packed, 100 to a record, per match key.
 *
 * Keeping lists current without transactions. Every change to the volunteers of a key takes the
 * key's next change number, with the volunteer's id (a unique record: two changes never share a
 * number), after the volunteer record is written. A stored list carries the number it is
 * current for: a build reads the numbers before the volunteer records. A mission reads the
 * newest complete list and the changes after its number, reads again the records of the
 * volunteers those changes name (after the numbers: each holds its change), and puts them in or
 * leaves them out as their records say now; after a few changes it stores the result under the
 * latest number. A change without a volunteer (a deletion: the chat id must go at once), a gap
 * in the numbers, or no list at all: the list is built again from the volunteer records.
 */
export class MatchLists {
  private readonly volunteers: VolunteerModel;
  private readonly lists: MatchListModel;
  private readonly changes: MatchChangeModel;

  constructor(private readonly connection: Connection) {
    this.volunteers = volunteerModel(connection);
    this.lists = matchListModel(connection);
    this.changes = matchChangeModel(connection);
  }

  /** The volunteers `key` selects (everything but skills checked). */
  async members(key: string): Promise<MatchMember[]> {
    for (let attempt = 0; attempt < 2; attempt++) {
      // Lists first, numbers after: a list stored in between shows as a gap, read again.
      const stored = await this.stored(key);
      const changes = await this.numbers(key);
      const seq = latest(changes);
      const base = newest(stored, seq);
      if (!base) return this.build(key, seq);
      if (base.seq === seq) return base.members;
      const since = changes.filter((c) => c.seq > base.seq);
      if (since.some((c) => c.userId === undefined || c.userId === null)) return this.build(key, seq);
      if (since.length !== seq - base.seq) continue; // pruned by a list stored meanwhile
      const changed = new Set(since.map((c) => c.userId!));
      const now = await Promise.all([...changed].map((userId) => this.volunteers.findOne({ userId }, CANDIDATE).lean<Candidate>()));
      const members = [...base.members.filter((m) => !changed.has(m.userId)), ...now.filter((c): c is Candidate => c !== null && belongs(c, key)).map(member)];
      if (since.length >= STORE_AFTER) await this.store(key, seq, members.map(pack));
      return members;
    }
    return this.build(key, latest(await this.numbers(key)));
  }

  private stored(key: string): Promise<StoredPart[]> {
    return this.lists.find({ key }, { build: 1, part: 1, parts: 1, seq: 1, members: 1 }).lean<StoredPart[]>();
  }

  private numbers(key: string): Promise<Change[]> {
    return this.changes.find({ key }, { seq: 1, userId: 1 }).lean<Change[]>();
  }

  /** Reads the volunteers of `key` from their records and stores them as its list for `seq`. */
  private async build(key: string, seq: number): Promise<MatchMember[]> {
    const candidates = await this.volunteers.find({ matchKeys: key }, CANDIDATE).lean<Candidate[]>();
    const members = candidates.filter((c) => belongs(c, key)).map(member);
    await this.store(key, seq, members.map(pack));
    return members;
  }

  /**
   * Writes a new build of the list (a build id of its own: no write collides), then removes the
   * builds it replaces and the change records it holds (never a newer one, never the latest number).
   */
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
    // A volunteer deleted after this list's records were read (a change without a volunteer,
    // numbered above it) dropped the key's lists before this one was written: the chat id must
    // not stay stored, so this build goes too. The deletion's number is taken before it drops
    // the lists, so one written after that drop always sees the number here.
    // A list of a later number stored meanwhile may have pruned that deletion's record already:
    // ours is stale then too.
    const deletedSince = (await this.changes.exists({ key, seq: { $gt: seq }, userId: { $exists: false } })) !== null;
    if (deletedSince || (await this.lists.exists({ key, seq: { $gt: seq } })) !== null) {
      await this.lists.deleteMany({ key, build });
      return;
    }
    await this.lists.deleteMany({ key, seq: { $lte: seq }, build: { $ne: build } });
    await this.changes.deleteMany({ key, seq: { $lt: seq } });
  }

  /** Takes the key's next change number for `userId` (none: the list must be built again). */
  private async next(key: string, userId: number | undefined): Promise<{ seq: number; pending: number }> {
    for (let attempt = 0; ; attempt++) {
      const changes = await this.numbers(key);
      const seq = latest(changes) + 1;
      try {
        await this.changes.create({ _id: `${key}#${seq}`, key, seq, ...(userId === undefined ? {} : { userId }) });
        return { seq, pending: changes.length + 1 };
      } catch (error) {
        // Another change took this number first: take the one after.
        if (!isDuplicateKey(error) || attempt >= NUMBER_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(NUMBER_PAUSE_MS, attempt + 1)));
      }
    }
  }

  /**
   * After a change to volunteers of these keys (their records written first): each key takes its
   * next change number for `userId`, which the next mission of the key reads their record for.
   * Without `userId` (a volunteer deleted), or when a key has piled up changes no mission read,
   * its list is dropped at once: built again when asked for. All by key equality, which FerretDB
   * hands to PostgreSQL.
   */
  async touch(keys: Iterable<string>, userId?: number): Promise<void> {
    for (const key of new Set(keys)) {
      const { seq, pending } = await this.next(key, userId);
      if (userId !== undefined && pending < MOST_CHANGES) continue;
      await this.lists.deleteMany({ key, seq: { $lt: seq } });
      await this.changes.deleteMany({ key, seq: { $lt: seq } });
    }
  }

  /** Drops every list (after the keys' format changed): they are built again on first use, and at the next start. */
  async clear(): Promise<void> {
    // The mark first: a stop between the two leaves the build owed, not the lists marked built.
    await forgetFinished(this.connection, LISTS_BUILT_PASS);
    await this.lists.deleteMany({});
  }

  /**
   * Builds the list of every key that has none, in one pass over the volunteer records (a new
   * installation, or after the key format changed): the first missions then read a list instead
   * of building one. The start-up task runs it until a start has finished it (LISTS_BUILT_PASS):
   * one stopped part-way leaves the keys it had not stored to the next. Returns how many lists it wrote.
   */
  async buildAll(): Promise<number> {
    const listed = new Set((await this.lists.find({}, { key: 1 }).lean<Array<{ key: string }>>()).map((l) => l.key));
    // Change numbers first, volunteers after, as a single build does.
    const seqs = new Map<string, number>();
    for (const c of await this.changes.find({}, { key: 1, seq: 1 }).lean<Array<{ key: string; seq: number }>>()) seqs.set(c.key, Math.max(seqs.get(c.key) ?? 0, c.seq));
    const lists = new Map<string, string[]>();
    const cursor = this.volunteers.find({}, CANDIDATE).lean<Candidate[]>().cursor({ batchSize: 1000 });
    for await (const c of cursor as AsyncIterable<Candidate>) {
      for (const key of new Set(c.matchKeys ?? [])) {
        if (listed.has(key) || !belongs(c, key)) continue;
        const list = lists.get(key) ?? [];
        list.push(pack(member(c)));
        lists.set(key, list);
      }
    }
    for (const [key, packed] of lists) await this.store(key, seqs.get(key) ?? 0, packed);
    return lists.size;
  }
}
