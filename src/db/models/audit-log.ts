import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const auditLogSchema = new Schema(
  {
    actorId: { type: Number, required: true, index: true },
    action: { type: String, required: true, index: true },
    /** What the action was about, e.g. "grant:KMK-2026-000123" or "user:12345". */
    target: { type: String },
    /** Details without personal data in clear text (ids, statuses, counts). */
    details: { type: Schema.Types.Mixed },
    at: { type: Date, default: () => new Date(), index: true },
    /**
     * Lines a repair may write again (a step finished after a crash) carry a key naming the event
     * once: its unique index keeps two repairs, or a repair and the original, to one line.
     * FerretDB ignores `sparse` but never compares missing values either.
     */
    onceKey: { type: String, unique: true, sparse: true },
  },
  { versionKey: false },
);

export type AuditLogRecord = InferSchemaType<typeof auditLogSchema>;
const build = (connection: Connection) => connection.model('AuditLog', auditLogSchema);
export type AuditLogModel = ReturnType<typeof build>;

/** The model on this connection (each app and test has its own connection). */
export function auditLogModel(connection: Connection): AuditLogModel {
  return (connection.models.AuditLog as AuditLogModel | undefined) ?? build(connection);
}
