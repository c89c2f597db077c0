import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** What a coordinator may change on a published mission. */
export const EDITABLE_FIELDS = ['title', 'description', 'place', 'startsAt', 'durationHours', 'slots'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/**
 * One change of a mission's details, version by version. The unique index on (mission, version)
 * is what settles two coordinators saving at once: FerretDB does not apply a conditional update
 * atomically between two writers, so "update where version = 3" alone could let both through.
 * The insert either wins version 4 or fails; the winner then writes the mission. `token` names
 * the screen that saved it, so the same save run again (a retry after a crash) knows its own
 * record and finishes it instead of being told someone else was first.
 */
const missionEditSchema = new Schema(
  {
    missionId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    token: { type: String, required: true },
    by: { type: Number, required: true },
    /** The new values (no personal data: the mission's own details). */
    changes: { type: Schema.Types.Mixed, required: true },
    /** The values before, for the notices ("was 10:00, now 12:00") when a save is finished later. */
    before: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    /**
     * Set once everything after the write is done (places, reminders, notices, audit line), with
     * how many were told. Until then a look at the mission or the repair tick finishes it: a
     * process stopped after writing the mission would otherwise tell nobody.
     */
    doneAt: { type: Date },
    told: { type: Number },
  },
  { versionKey: false },
);
missionEditSchema.index({ missionId: 1, version: 1 }, { unique: true });

export type MissionEditRecord = InferSchemaType<typeof missionEditSchema> & { _id: import('mongoose').Types.ObjectId };
const build = (connection: Connection) => connection.model('MissionEdit', missionEditSchema);
export type MissionEditModel = ReturnType<typeof build>;

export function missionEditModel(connection: Connection): MissionEditModel {
  return (connection.models.MissionEdit as MissionEditModel | undefined) ?? build(connection);
}
