import type { Locale } from '../../telegram/types.js';
import type { DataCipher } from '../../security/crypto.js';
import { isDuplicateKey, nextSequence } from '../../db/models/counter.js';
import { type GrantApplicationModel } from './grant-application.model.js';
import { ACTIVE_STATUSES } from './grant-status.js';
import { kzDateParts } from '../../domain/kz-time.js';
import type { ProgrammeKind } from './programmes.js';
import type { ServiceDeps } from '../../services/service-deps.js';

/** What the application form hands over; IIN and phone in clear only until they are sealed here. */
export interface GrantSubmission {
  userId: number;
  chatId: number;
  locale: Locale;
  /** Derived from the form's start time: the same form submitted twice is one application. */
  submissionKey: string;
  programme: ProgrammeKind;
  name: string;
  iin: string;
  phone: string;
  region: string;
  groups: string[];
  members: number;
  children: number;
  sector: string;
  idea: string;
  amount: number;
  mci: number;
  mciYear: number;
  certificateYear?: number;
}

/**
 * `duplicate`: an open application for this IIN and programme; `own` when this user sent it. Only
 * then may its reference be shown: anyone can type an IIN, and a reference (or that a family
 * applied for state support at all, from this chat or another) is not theirs to learn.
 */
export type SubmitResult = { result: 'created' | 'existing'; ref: string } | { result: 'duplicate'; ref: string; own: boolean };

/** An open application for an IIN and programme: its reference and whether `userId` sent it. */
export interface ActiveApplication {
  ref: string;
  own: boolean;
}

/** FerretDB can hand out a reference number twice (see counter.ts); each clash takes the next one. */
const MAX_REF_ATTEMPTS = 20;

export const iinLookupHash = (cipher: DataCipher, iin: string): string => cipher.lookupHash(`iin:${iin}`);

/** The application still open for this IIN and programme, if any, and whether `userId` sent it. */
export async function findActiveRef(
  applications: GrantApplicationModel,
  cipher: DataCipher,
  iin: string,
  programme: ProgrammeKind,
  userId: number,
): Promise<ActiveApplication | null> {
  const found = await applications
    .findOne({ iinHash: iinLookupHash(cipher, iin), programme, status: { $in: [...ACTIVE_STATUSES] } }, { ref: 1, userId: 1 })
    .lean<{ ref: string; userId?: number }>();
  // An erased application has no userId: it is nobody's in this chat any more.
  return found ? { ref: found.ref, own: found.userId === userId } : null;
}

async function refBySubmissionKey(applications: GrantApplicationModel, submissionKey: string): Promise<string | null> {
  return (await applications.findOne({ submissionKey }, { ref: 1 }).lean<{ ref: string }>())?.ref ?? null;
}

/**
 * Stores an application. The look-ups first give the usual answers cheaply; when two chats
 * race past them, the unique indexes decide (submission key: the same form twice; open key:
 * the same IIN and programme from two forms) and the look-ups tell which one it was.
 */
export async function submitApplication(applications: GrantApplicationModel, deps: ServiceDeps, input: GrantSubmission): Promise<SubmitResult> {
  const { cipher } = deps;
  const existing = await refBySubmissionKey(applications, input.submissionKey);
  if (existing) return { result: 'existing', ref: existing };
  const active = await findActiveRef(applications, cipher, input.iin, input.programme, input.userId);
  if (active) return { result: 'duplicate', ...active };

  const now = deps.now();
  const year = kzDateParts(now).year;
  const iinHash = iinLookupHash(cipher, input.iin);
  for (let attempt = 1; ; attempt += 1) {
    const seq = await nextSequence(deps.connection, `grant-${year}`);
    const ref = `KMK-${year}-${String(seq).padStart(6, '0')}`;
    try {
      await applications.create({
        ref,
        submissionKey: input.submissionKey,
        userId: input.userId,
        chatId: input.chatId,
        locale: input.locale,
        programme: input.programme,
        status: 'submitted',
        name: input.name,
        iinEnc: cipher.encrypt(input.iin),
        iinHash,
        activeKey: `${iinHash}.${input.programme}`,
        phoneEnc: cipher.encrypt(input.phone),
        phoneHash: cipher.lookupHash(`phone:${input.phone}`),
        region: input.region,
        groups: input.groups,
        members: input.members,
        children: input.children,
        sector: input.sector,
        ideaEnc: cipher.encrypt(input.idea),
        amount: input.amount,
        mci: input.mci,
        mciYear: input.mciYear,
        certificateYear: input.certificateYear,
        consentAt: now,
        history: [{ status: 'submitted', at: now, by: input.userId }],
      });
      deps.logger.info({ ref, programme: input.programme }, 'grant application submitted');
      return { result: 'created', ref };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const same = await refBySubmissionKey(applications, input.submissionKey);
      if (same) return { result: 'existing', ref: same };
      const open = await findActiveRef(applications, cipher, input.iin, input.programme, input.userId);
      if (open) return { result: 'duplicate', ...open };
      // Otherwise the reference number was taken: try the next one.
      if (attempt >= MAX_REF_ATTEMPTS) throw error;
    }
  }
}
