import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * new: invited or answered nothing yet; claiming: a tap is being processed until `claimUntil`
 * (a second tap of the same person waits, unless the claim has its place already: then it was a
 * tap that failed after taking it, and Accept finishes it; after that time a tap or the repair
 * takes over, so a crash mid-tap cannot leave the answer stuck); accepted: holds one of the mission's places;
 * waiting: on the waiting list, ordered by `seq`; declined / cancelled: said no, before or
 * after accepting.
 */
export const ASSIGNMENT_STATUSES = ['new', 'claiming', 'accepted', 'waiting', 'declined', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

const assignmentSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true, index: true },
    volunteerUserId: { type: Number, required: true, index: true },
    status: { type: String, enum: ASSIGNMENT_STATUSES, required: true, index: true },
    /** While `claiming`: when the claim lapses if the tap that made it never finishes. */
    claimUntil: { type: Date },
    /** Waiting-list order: the tap's time in ms × 1000 plus a per-process counter; ties go by `_id`. */
    seq: { type: Number },
    acceptedAt: { type: Date },
    waitingSince: { type: Date },
    cancelledAt: { type: Date },
    /** Answers to "still coming?": 'yes' | 'no', per reminder. */
    reminder24: { type: String },
    reminder2: { type: String },
    /**
     * The mission version each answer was given at: a change of the start clears only answers
     * older than itself, so running its follow-up again (after a crash) keeps answers to the new start.
     */
    reminder24Version: { type: Number },
    reminder2Version: { type: Number },
    attended: { type: Boolean },
    /** Set once, by a conditional update, the first time attendance is saved as "came". */
    hoursCredited: { type: Number },
    /**
     * The attendance save that credited them (its screen's token): the same save run again by
     * the mailbox after a failure past this write counts them as credited by it, as it was.
     */
    creditedBySave: { type: String },
  },
  { timestamps: true },
);
/** An `$unset` of every "still coming?" answer and its version (a place taken again starts without them). */
export const NO_REMINDER_ANSWERS = { reminder24: 1, reminder2: 1, reminder24Version: 1, reminder2Version: 1 } as const;

// One assignment per person and mission: a double tap cannot take two slots.
assignmentSchema.index({ missionId: 1, volunteerUserId: 1 }, { unique: true });

export type MissionAssignmentRecord = InferSchemaType<typeof assignmentSchema> & { _id: import('mongoose').Types.ObjectId };
const build = (connection: Connection) => connection.model('MissionAssignment', assignmentSchema);
export type MissionAssignmentModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function missionAssignmentModel(connection: Connection): MissionAssignmentModel {
  return (connection.models.MissionAssignment as MissionAssignmentModel | undefined) ?? build(connection);
}

/**
 * One document per taken place of a mission. The unique indexes are what keeps a mission from
 * being overbooked: an insert either gets place N or fails, on MongoDB and on FerretDB alike
 * (FerretDB 1.24 does not run a conditional findOneAndUpdate/$inc atomically, so a counter
 * alone lets more taps through than there are places).
 */
const seatSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true },
    seat: { type: Number, required: true },
    volunteerUserId: { type: Number, required: true },
    /** Lets the repair tell a place being taken right now from one left behind by a crash. */
    takenAt: { type: Date },
  },
  { versionKey: false },
);
seatSchema.index({ missionId: 1, seat: 1 }, { unique: true });
seatSchema.index({ missionId: 1, volunteerUserId: 1 }, { unique: true });

const buildSeat = (connection: Connection) => connection.model('MissionSeat', seatSchema);
export type MissionSeatModel = ReturnType<typeof buildSeat>;

export function missionSeatModel(connection: Connection): MissionSeatModel {
  return (connection.models.MissionSeat as MissionSeatModel | undefined) ?? buildSeat(connection);
}
