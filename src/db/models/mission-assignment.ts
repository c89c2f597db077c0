import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * claiming: a tap is being processed (a second tap of the same person finds it taken);
 * accepted: holds one of the mission's slots; waiting: on the waiting list, ordered by `seq`;
 * declined / cancelled: said no, before or after accepting.
 */
export const ASSIGNMENT_STATUSES = ['new', 'claiming', 'accepted', 'waiting', 'declined', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

const assignmentSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true, index: true },
    volunteerUserId: { type: Number, required: true, index: true },
    status: { type: String, enum: ASSIGNMENT_STATUSES, required: true, index: true },
    /** Waiting-list position (from Mission.waitSeq). */
    seq: { type: Number },
    acceptedAt: { type: Date },
    waitingSince: { type: Date },
    cancelledAt: { type: Date },
    /** Answers to "still coming?": 'yes' | 'no', per reminder. */
    reminder24: { type: String },
    reminder2: { type: String },
    attended: { type: Boolean },
    /** Set once, by a conditional update, the first time attendance is saved as "came". */
    hoursCredited: { type: Number },
  },
  { timestamps: true },
);
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
