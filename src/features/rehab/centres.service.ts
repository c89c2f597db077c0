import type { Types } from 'mongoose';
import { centreModel, type CentreModel } from './centre.model.js';
import { boundingBox, distanceKm } from '../../domain/geo.js';
import { REGIONS, type RegionKey } from '../../domain/regions.js';
import { importCentresFile, type ImportReport } from './centres-import.js';
import { canonical, type CentreInput, type CentreView } from './centres-record.js';
import { helpFilter, type CentreSearch } from './centres-search.js';
import { directoryVersion } from './centres-version.js';
import type { ServiceDeps } from '../../services/service-deps.js';

export type { CentreSearch, CentreView };

export interface FoundCentre {
  centre: CentreView;
  /** From the shared location; absent for a region search. */
  distanceKm?: number;
}

export interface SearchPage {
  items: FoundCentre[];
  /** Another page follows. */
  hasMore: boolean;
  /** All matches, when known (a region search, or a location search that had to look everywhere). */
  total?: number;
}

/**
 * The order of the centres a search found, as it was when the search was made: its pages are
 * read from this, so a re-import between two pages (a centre moved, added or removed) neither
 * repeats a centre nor skips one. Ids only, the first `ids.length` of the ranking.
 */
export interface CentreList {
  ids: string[];
  /** The ranking went on past `ids`: more are taken (`extendList`) when the pages reach the end. */
  more: boolean;
  /** The directory's version when the list was taken (centres-version.ts). */
  version: number;
}

/** A page of a CentreList: the centres still in the directory, and where the page starts. */
export interface ListedPage extends SearchPage {
  /** The position of the page's first centre among those of the list still in the directory. */
  from: number;
}

export interface DirectoryFigures {
  total: number;
  samples: number;
  byRegion: Array<{ region: RegionKey; count: number }>;
  byKind: Array<{ kind: string; count: number }>;
}

/** A centre this close to the region's reference point is in the regional centre's own city. */
const CITY_RADIUS_KM = 25;
/** "Near me" widens the box step by step until enough centres lie within the radius. */
const RADII_KM = [10, 25, 50, 100, 200, 400, 800, 1600];

type Doc = CentreInput & { _id: Types.ObjectId };

function view(doc: Doc): CentreView {
  return { id: String(doc._id), ...canonical(doc) };
}

export class CentresService {
  private readonly centres: CentreModel;

  constructor(protected readonly deps: ServiceDeps) {
    this.centres = centreModel(deps.connection);
  }

  private filter(search: Pick<CentreSearch, 'who' | 'help'>): Record<string, unknown> {
    return { ageGroups: search.who, ...helpFilter(search.help) };
  }

  /** One page of matches: by distance from a shared location, or the region's centre city first. */
  async search(search: CentreSearch, page: number, pageSize = 5): Promise<SearchPage> {
    const offset = Math.max(0, page) * pageSize;
    const ranked = search.where.type === 'region' ? await this.inRegion(search, search.where.region) : await this.nearest(search, offset + pageSize + 1);
    const items = ranked.items.slice(offset, offset + pageSize);
    return { items, hasMore: ranked.items.length > offset + pageSize, ...(ranked.complete ? { total: ranked.items.length } : {}) };
  }

  /** The ranking as it stands, its first `max` ids: the order the search's pages then keep. */
  async rankedList(search: CentreSearch, max: number): Promise<CentreList> {
    return this.extendList(search, { ids: [], more: true, version: await this.version() }, max);
  }

  /**
   * Up to `step` more ids for a list whose pages reached its end: the ranking as it stands now,
   * without the ids the list holds already (so nothing is shown twice), after them. The version
   * stays the list's own: its earlier pages were taken before any change since.
   */
  async extendList(search: CentreSearch, list: CentreList, step: number): Promise<CentreList> {
    if (!list.more) return list;
    const known = new Set(list.ids);
    const wanted = list.ids.length + step + 1;
    const ranked = search.where.type === 'region' ? await this.inRegion(search, search.where.region) : await this.nearest(search, wanted);
    const fresh = ranked.items.map((item) => item.centre.id).filter((id) => !known.has(id));
    return { ids: [...list.ids, ...fresh.slice(0, step)], more: fresh.length > step, version: list.version };
  }

  /** One page of a list: the centres of its `page` still in the directory, in the list's order. */
  async listPage(search: CentreSearch, list: CentreList, page: number, pageSize = 5): Promise<ListedPage> {
    const start = Math.max(0, page) * pageSize;
    const slots = list.ids.slice(start, start + pageSize);
    const present = await this.present(list.ids);
    const docs = slots.some((id) => present.has(id)) ? ((await this.centres.find({ _id: { $in: slots.filter((id) => present.has(id)) } }).lean()) as unknown as Doc[]) : [];
    const byId = new Map(docs.map((doc) => [String(doc._id), view(doc)]));
    const point = search.where.type === 'point' ? search.where : undefined;
    const items = slots.flatMap((id) => {
      const centre = byId.get(id);
      return centre ? [{ centre, ...(point ? { distanceKm: distanceKm(point, centre) } : {}) }] : [];
    });
    const alive = (ids: string[]) => ids.filter((id) => present.has(id)).length;
    return {
      items,
      hasMore: list.more || alive(list.ids.slice(start + pageSize)) > 0,
      from: alive(list.ids.slice(0, start)) + 1,
      ...(list.more ? {} : { total: alive(list.ids) }),
    };
  }

  /** Which of these ids are still in the directory (a removed centre is skipped, not replaced). */
  private async present(ids: string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => /^[0-9a-f]{24}$/.test(id));
    if (valid.length === 0) return new Set();
    const docs = await this.centres.find({ _id: { $in: valid } }, { _id: 1 }).lean();
    return new Set(docs.map((doc) => String(doc._id)));
  }

  /** The directory's version (moved on by every import that changes it). */
  version(): Promise<number> {
    return directoryVersion(this.deps.connection);
  }

  /** How many centres match in a region (for "nothing here, but 3 next door"). */
  async countInRegion(search: Pick<CentreSearch, 'who' | 'help'>, region: RegionKey): Promise<number> {
    return this.centres.countDocuments({ ...this.filter(search), region });
  }

  /** How many centres match in each region that has any, in one query (the directory is small). */
  async countByRegion(search: Pick<CentreSearch, 'who' | 'help'>): Promise<Map<RegionKey, number>> {
    const docs = await this.centres.find(this.filter(search), { region: 1 }).lean();
    const counts = new Map<RegionKey, number>();
    for (const doc of docs) counts.set(doc.region, (counts.get(doc.region) ?? 0) + 1);
    return counts;
  }

  private async inRegion(search: CentreSearch, region: RegionKey): Promise<{ items: FoundCentre[]; complete: boolean }> {
    const docs = (await this.centres.find({ ...this.filter(search), region }).lean()) as unknown as Doc[];
    const hub = REGIONS[region];
    const ranked = docs
      .map((doc) => ({ doc, fromHub: distanceKm(hub, doc) }))
      .sort((a, b) => {
        const cityA = a.fromHub <= CITY_RADIUS_KM ? 0 : 1;
        const cityB = b.fromHub <= CITY_RADIUS_KM ? 0 : 1;
        return cityA - cityB || a.fromHub - b.fromHub || a.doc.externalId.localeCompare(b.doc.externalId);
      });
    return { items: ranked.map((r) => ({ centre: view(r.doc) })), complete: true };
  }

  /**
   * Nearest first, by true distance. A box query per radius; a centre counts only once it is
   * within the radius itself (a box corner is farther than a point just outside the box), and
   * the last step looks everywhere.
   */
  private async nearest(search: CentreSearch, needed: number): Promise<{ items: FoundCentre[]; complete: boolean }> {
    if (search.where.type !== 'point') return { items: [], complete: true };
    const point = search.where;
    for (let step = 0; step <= RADII_KM.length; step++) {
      const radius = RADII_KM[step];
      const query: Record<string, unknown> = { ...this.filter(search) };
      if (radius !== undefined) {
        const box = boundingBox(point, radius);
        query.latitude = { $gte: box.minLat, $lte: box.maxLat };
        query.longitude = { $gte: box.minLon, $lte: box.maxLon };
      }
      const docs = (await this.centres.find(query).lean()) as unknown as Doc[];
      const within = docs
        .map((doc) => ({ doc, km: distanceKm(point, doc) }))
        .filter((r) => radius === undefined || r.km <= radius)
        .sort((a, b) => a.km - b.km || a.doc.externalId.localeCompare(b.doc.externalId));
      if (within.length >= needed || radius === undefined) {
        return { items: within.map((r) => ({ centre: view(r.doc), distanceKm: r.km })), complete: radius === undefined };
      }
    }
    return { items: [], complete: true };
  }

  async get(id: string): Promise<CentreView | null> {
    if (!/^[0-9a-f]{24}$/.test(id)) return null;
    const doc = (await this.centres.findById(id).lean()) as unknown as Doc | null;
    return doc ? view(doc) : null;
  }

  async count(): Promise<number> {
    return this.centres.countDocuments();
  }

  /** Centres per region and per kind, for staff. Counted here: the directory is small. */
  async figures(): Promise<DirectoryFigures> {
    const docs = await this.centres.find({}, { region: 1, kind: 1, sample: 1 }).lean();
    const byRegion = new Map<RegionKey, number>();
    const byKind = new Map<string, number>();
    let samples = 0;
    for (const doc of docs) {
      byRegion.set(doc.region, (byRegion.get(doc.region) ?? 0) + 1);
      byKind.set(doc.kind, (byKind.get(doc.kind) ?? 0) + 1);
      if (doc.sample) samples++;
    }
    return {
      total: docs.length,
      samples,
      byRegion: [...byRegion].map(([region, count]) => ({ region, count })),
      byKind: [...byKind].map(([kind, count]) => ({ kind, count })),
    };
  }

  /** Loads the sample directory into an empty collection (first start); never touches a loaded one. */
  async seedIfEmpty(file: string): Promise<ImportReport | null> {
    if ((await this.centres.countDocuments()) > 0) return null;
    const report = await importCentresFile(this.deps.connection, file);
    this.deps.logger.info({ added: report.added, rejected: report.rejected.length }, 'centre directory seeded from the sample');
    return report;
  }
}
