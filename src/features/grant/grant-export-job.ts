import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { allows, regionsFor } from '../../app/access.js';
import { isTransient } from '../../app/failure-kind.js';
import { kzDateParts } from '../../domain/kz-time.js';
import type { GrantExportRequest } from '../../delivery/types.js';
import type { I18n } from '../../i18n/index.js';
import { FileUpload, type ApiCaller } from '../../telegram/api-caller.js';
import type { AccessService } from '../../services/access.js';
import { csvHead, csvLines, grantCsvRows } from './grant-export.js';
import type { GrantsService } from './grants.service.js';

export interface GrantExportJobDeps {
  access: AccessService;
  grants: GrantsService;
  api: ApiCaller;
  i18n: I18n;
  redis: Redis;
  prefix: string;
  now: () => Date;
  /** Applications read from the database per query. */
  batchSize?: number;
}

const PROGRESS_TTL_S = 7 * 24 * 3600;

function fileDate(now: Date): string {
  const { year, month, day } = kzDateParts(now);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Runs one staff export of grant applications, as the job queued by the update:
 * 1. asks the access service, now, whether the requester may still export, and for which
 *    regions; names, IINs and phones in full only for someone who asked and is an admin now;
 * 2. reads the applications a batch at a time and builds the CSV (in memory, never on disk);
 * 3. records the export in the audit log (masked or not, how many, which regions), then sends
 *    it to the requester's chat.
 * A passing failure is thrown to be retried; a marker in Redis keeps a retry from auditing the
 * same request twice, or sending it again once it went out.
 */
export class GrantExportJob {
  constructor(private readonly deps: GrantExportJobDeps) {}

  /** 'audited', then 'sent': how far a request got, so a retry repeats neither step. */
  private progressKey(request: GrantExportRequest): string {
    return `${this.deps.prefix}:export:progress:${request.requestId}`;
  }

  async run(request: GrantExportRequest): Promise<'sent' | 'refused' | 'blocked'> {
    const { access: accessService } = this.deps;
    try {
      const progress = await this.deps.redis.get(this.progressKey(request));
      // The file went out and only the job's completion was lost (a crash): not sent twice.
      if (progress === 'sent') return 'sent';
      const access = await accessService.get(request.userId);
      if (!allows(access, 'grants.export')) {
        // Lost access between the tap and now: no file, a plain word, and the refusal on record.
        await accessService.recordDenied(request.userId, 'grants.export', 'grant-export', { stage: 'job' });
        await this.say(request, 'grant:export.withdrawn');
        return 'refused';
      }
      const masked = !request.full || !access!.roles.includes('admin');
      const regions = regionsFor(access, 'grants.export');
      const { content, count } = await this.build(regions, masked);
      // On record before the file leaves, once per request (a retry after a failed send is the
      // same export), so no file is ever out without its audit entry.
      if (progress !== 'audited') {
        await this.deps.grants.recordExport(request.userId, count, masked, regions);
        await this.deps.redis.set(this.progressKey(request), 'audited', 'EX', PROGRESS_TTL_S);
      }
      const t = this.deps.i18n.t(request.locale);
      const caption = t(masked ? 'grant:export.masked' : 'grant:export.full', { count });
      const filename = `komek-applications-${fileDate(this.deps.now())}${masked ? '-masked' : ''}.csv`;
      await this.deps.api.call('sendDocument', { chat_id: request.chatId, document: new FileUpload(filename, content), caption });
      await this.deps.redis.set(this.progressKey(request), 'sent', 'EX', PROGRESS_TTL_S);
      return 'sent';
    } catch (error) {
      // Someone who blocked the bot cannot be sent anything, not even why.
      if (this.deps.api.classify(error) === 'forbidden') return 'blocked';
      // BullMQ retries anything thrown; what would only fail again stops here.
      if (isTransient(error, this.deps.api)) throw error;
      throw new UnrecoverableError(error instanceof Error ? error.name : 'export failed');
    }
  }

  /** Every try failed, or the failure cannot pass: the requester is not left waiting. */
  async gaveUp(request: GrantExportRequest): Promise<void> {
    await this.say(request, 'grant:export.failed');
  }

  private async say(request: GrantExportRequest, key: string): Promise<void> {
    await this.deps.api.call('sendMessage', { chat_id: request.chatId, text: this.deps.i18n.t(request.locale)(key) });
  }

  /**
   * The file as `csvFile` writes it, built a batch at a time. Only one batch of
   * records (decrypted) is held at a time; the file itself is a few hundred bytes per application.
   */
  private async build(regions: string[] | null, masked: boolean): Promise<{ content: Buffer; count: number }> {
    const parts: Buffer[] = [Buffer.from(csvHead(), 'utf8')];
    let count = 0;
    // A reviewer whose regions were all taken away gets the header alone.
    if (regions === null || regions.length > 0) {
      for await (const batch of this.deps.grants.exportBatches(regions, this.deps.batchSize)) {
        parts.push(Buffer.from(csvLines(grantCsvRows(batch, this.deps.grants, masked)), 'utf8'));
        count += batch.length;
      }
    }
    return { content: Buffer.concat(parts), count };
  }
}
