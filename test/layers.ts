// The test layers, fastest first. vitest.config.ts makes one project of each, and
// scripts/test-summary.mjs prints each layer's test count and time at the end of `npm test`.
// A test file that no layer names still runs (layer "unsorted", listed in the summary): add it
// to the layer whose servers and processes it needs.

export interface Layer {
  name: string;
  /** What runs in it, for the summary. */
  about: string;
  include: string[];
  /**
   * Files share one module graph per worker (imports paid once) instead of a fresh one each.
   * Only for layers whose files stop whatever they start (servers, workers, processes) and leave
   * no global state behind. Measured: delivery 34-36 s → 29 s, e2e 66 s → 51 s; reliability
   * 197 s → 116-121 s busy once its bots started from bundles (test/support/ts-entries.ts) and
   * importing the app in-process became most of what was left.
   */
  shareModules: boolean;
}

export const LAYERS: Layer[] = [
  {
    name: 'unit',
    about: 'domain, engine, texts, config, the built-in Bot API; no servers',
    shareModules: true,
    include: [
      'test/domain/**/*.test.ts',
      'test/engine/**/*.test.ts',
      'test/i18n/**/*.test.ts',
      'test/config/**/*.test.ts',
      'test/platform/**/*.test.ts',
      'test/telegram/**/*.test.ts',
      'test/architecture/import-cycles.test.ts',
      'test/delivery/feature-guards.test.ts',
      'test/access/allows.test.ts',
      'test/features/inquiries/faq-search.test.ts',
      'test/services/programmes.test.ts',
      'test/grant/export.test.ts',
    ],
  },
  {
    name: 'scenes',
    about: 'scenes and router through the whole pipeline: in-memory mailbox, in-process Bot API; services on FerretDB',
    shareModules: true,
    include: [
      'test/app/**/*.test.ts',
      'test/support/database-pool.test.ts',
      'test/architecture/callback-codecs.test.ts',
      'test/rehab/**/*.test.ts',
      'test/attack/**/*.test.ts',
      'test/access/matrix.test.ts',
      'test/access/staff-screens.test.ts',
      'test/access/revoke-staff-group.test.ts',
      'test/grant/application.test.ts',
      'test/grant/review.test.ts',
      'test/volunteer/answer-by-typing.test.ts',
      'test/volunteer/missions-bot.test.ts',
      'test/volunteer/mission-edit.test.ts',
      'test/volunteer/mission-edit-attack.test.ts',
      'test/volunteer/open-missions.test.ts',
      'test/volunteer/page-age.test.ts',
      'test/volunteer/volunteer-my-data.test.ts',
      'test/volunteer/signup.test.ts',
      'test/broadcast/broadcast-late-confirm.test.ts',
      'test/broadcast/broadcast-preview.test.ts',
      'test/features/inquiries/citizen.test.ts',
      'test/features/inquiries/kb-entry.test.ts',
    ],
  },
  {
    name: 'repositories',
    about: 'services and stores on the real FerretDB and Redis, the mailbox contract',
    shareModules: true,
    include: [
      'test/services/centres-import.test.ts',
      'test/services/centres-import-meanwhile.test.ts',
      'test/services/centres-search.test.ts',
      'test/services/broadcasts*.test.ts',
      'test/services/grants.test.ts',
      'test/services/inquiries.test.ts',
      'test/features/inquiries/relay-slot.test.ts',
      'test/services/missions*.test.ts',
      'test/services/staff.test.ts',
      'test/access/access-service.test.ts',
      'test/mailbox/contract.test.ts',
      'test/services/mission-match-keys.test.ts',
      'test/services/mission-match-lists.test.ts',
      'test/services/mission-match-races.test.ts',
      'test/services/start-up-resume.test.ts',
      'test/services/start-up-hang.test.ts',
      'test/support/services.test.ts',
    ],
  },
  {
    name: 'delivery',
    about: 'the BullMQ queue and delivery workers on real Redis, to the Bot API over HTTP',
    shareModules: true,
    include: [
      'test/delivery/delivery-worker.test.ts',
      'test/delivery/personal-data.test.ts',
      'test/broadcast/broadcast-fanout.test.ts',
      'test/broadcast/broadcast-scene.test.ts',
      'test/broadcast/broadcast-priority.test.ts',
      'test/volunteer/live-delivery.test.ts',
      'test/features/inquiries/forum-relay.test.ts',
      'test/features/inquiries/erased-topics.test.ts',
      'test/features/inquiries/staff-group-move.test.ts',
      'test/features/inquiries/staff-group-move-copy.test.ts',
      'test/features/inquiries/voice-relay.test.ts',
      'test/features/inquiries/staff-privacy.test.ts',
      'test/features/inquiries/file-names.test.ts',
      'test/grant/export-job.test.ts',
      'test/access/withheld-notices.test.ts',
      'test/access/withheld-confirm-races.test.ts',
      'test/access/withheld-invitations.test.ts',
      'test/access/withheld-close.test.ts',
      'test/access/interrupted-writes.test.ts',
      'test/features/inquiries/mirror-repair.test.ts',
    ],
  },
  {
    name: 'e2e',
    about: 'the bot end to end over HTTP on grammY and on Telegraf, the import/export commands as processes, the playground in a browser',
    shareModules: true,
    include: [
      'test/e2e/**/*.test.ts',
      'test/access/revoked-mid-review.test.ts',
      'test/access/revoke-console-group.test.ts',
      'test/features/inquiries/forum-telegraf.test.ts',
      'test/services/centres-cli.test.ts',
      'test/features/inquiries/faq-cli.test.ts',
      'test/playground/**/*.test.ts',
    ],
  },
  {
    name: 'reliability',
    about: 'the Redis mailbox under bursts, restarts, outages, SIGKILL and two processes',
    shareModules: true,
    include: [
      'test/reliability/**/*.test.ts',
      'test/mailbox/mailbox.test.ts',
      'test/mailbox/erase-leftovers.test.ts',
      'test/mailbox/two-pipelines.test.ts',
      'test/mailbox/outages.test.ts',
      'test/mailbox/logs.test.ts',
      'test/delivery/main-process.test.ts',
      'test/broadcast/broadcast-restart.test.ts',
      'test/grant/draft.test.ts',
      'test/grant/draft-retention.test.ts',
    ],
  },
  {
    name: 'release',
    about: 'the production build and install, npm run local, deployment files',
    shareModules: false,
    include: ['test/release/**/*.test.ts'],
  },
];

export const ALL_TESTS = 'test/**/*.test.ts';
