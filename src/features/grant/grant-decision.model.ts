import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { GRANT_STATUSES } from './grant-status.js';

/**
 * One change of an application's status, claimed before it is applied. The `_id` is
 * "<ref>/<position in the history>", so of two reviewers (or a reviewer and the applicant) who
 * saw the same history, only the first insert wins: the unique `_id` decides, which holds on
 * MongoDB and on FerretDB alike, where a conditional update alone lets both through.
 * The application's own status and history are then written from this record, so a process
 * that died between the two writes leaves something another process can finish.
 */
const grantDecisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    ref: { type: String, required: true, index: true },
    /** Index of the history entry this decision becomes (the submission is 0). */
    position: { type: Number, required: true },
    from: { type: String, enum: GRANT_STATUSES, required: true },
    status: { type: String, enum: GRANT_STATUSES, required: true },
    at: { type: Date, required: true },
    /** Telegram id of the reviewer, or of the applicant answering; 0 once the applicant erased their data. */
    by: { type: Number, required: true },
    source: { type: String, enum: ['staff', 'applicant'], required: true },
    /** Staff's comment or reason, sealed (free-text.ts). */
    commentEnc: { type: String },
    /** The comment in the clear, as decisions written before comments were sealed hold it. */
    comment: { type: String },
    /** The applicant's answer to "more information needed", sealed (free-text.ts); erased with their data. */
    answerEnc: { type: String },
    /** The answer in the clear, as decisions written before answers were sealed hold it. */
    answer: { type: String },
    /**
     * True from the claim until the application is written, the decision audited and its notice
     * queued. A decision still pending a minute on was cut short (the queue away, the process
     * stopped, the update given up on): the repair pass finishes it (GrantDecisions.finishPending).
     */
    pending: { type: Boolean, index: true },
  },
  { versionKey: false },
);

export type GrantDecisionRecord = InferSchemaType<typeof grantDecisionSchema>;
const build = (connection: Connection) => connection.model('GrantDecision', grantDecisionSchema);
export type GrantDecisionModel = ReturnType<typeof build>;

export const decisionId = (ref: string, position: number): string => `${ref}/${position}`;

export function grantDecisionModel(connection: Connection): GrantDecisionModel {
  return (connection.models.GrantDecision as GrantDecisionModel | undefined) ?? build(connection);
}
