import type { Feature } from '../../src/app/types.js';
import { TransientError } from '../../src/app/failure-kind.js';

/** A made-up person: the log test searches the logs for these. */
export const PERSON = { name: 'Алия Нұрланқызы', phone: '+77011234567' };

/** Commands for the mailbox tests: a reply full of personal data, and a handler that never succeeds. */
export const mailboxTestFeature: Feature = {
  id: 'mailbox-test',
  commands: [
    {
      command: 'card',
      run: async (ctx) => {
        ctx.reply({ kind: 'text', text: `Application of ${PERSON.name}, phone ${PERSON.phone}` });
      },
    },
    {
      command: 'broken',
      run: async (ctx) => {
        // A programming error: it would fail the same way on every try.
        (ctx.session.data as unknown as { missing: { field: number } }).missing.field += 1;
      },
    },
    {
      command: 'flaky',
      run: async () => {
        throw new TransientError('the records service is away');
      },
    },
  ],
};
