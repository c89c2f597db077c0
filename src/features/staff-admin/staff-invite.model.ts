import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const staffInviteSchema = new Schema(
  {
    /** Only the hash of the token is kept: a database reader cannot use an open invite. */
    tokenHash: { type: String, required: true, unique: true },
    createdBy: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    /** What the link grants: one role and, optionally, the regions (and topics) it covers; absent = all. */
    role: { type: String },
    regions: { type: [String], default: undefined },
    topics: { type: [String], default: undefined },
    usedBy: { type: Number },
    usedAt: { type: Date },
    revokedAt: { type: Date },
    /**
     * Withdrawn because its maker lost the right to manage staff, and the refusal's audit line is
     * not known to be written: who opened it, for the repair pass to write that line once.
     */
    refusalDue: { type: new Schema({ openedBy: { type: Number, required: true } }, { _id: false }) },
  },
  { timestamps: true },
);

export type StaffInviteRecord = InferSchemaType<typeof staffInviteSchema>;
const build = (connection: Connection) => connection.model('StaffInvite', staffInviteSchema);
export type StaffInviteModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function staffInviteModel(connection: Connection): StaffInviteModel {
  return (connection.models.StaffInvite as StaffInviteModel | undefined) ?? build(connection);
}

/**
 * One document per used invite. Its unique index is what makes an invite single-use: only one
 * insert can win, on MongoDB and on FerretDB alike (a conditional update is not enough on the
 * latter, whose updates are not atomic under concurrency).
 */
const staffInviteUseSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Number, required: true },
    at: { type: Date, required: true },
    /**
     * Set once the access is given and audited. Until then the claimant may open the link again
     * to finish (an outage cut the redemption short); after it, never: a member revoked later
     * must not get back in through their own used link.
     */
    doneAt: { type: Date },
    /**
     * Set with `doneAt`: the inviter is owed the "your link was used" notice. `toldAt` replaces
     * it once the notice is queued; one still due after a crash is queued by the repair pass.
     */
    noticeDue: { type: Boolean },
    toldAt: { type: Date },
  },
  { versionKey: false },
);

const buildUse = (connection: Connection) => connection.model('StaffInviteUse', staffInviteUseSchema);
export type StaffInviteUseModel = ReturnType<typeof buildUse>;

export function staffInviteUseModel(connection: Connection): StaffInviteUseModel {
  return (connection.models.StaffInviteUse as StaffInviteUseModel | undefined) ?? buildUse(connection);
}
