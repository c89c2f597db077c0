// npm run staff -- show ID | revoke ID --admin ADMIN_ID
// An administrator's console way to see or withdraw a staff member's access, e.g. at once when
// someone leaves, without the chat. It writes MongoDB and the Redis access cache exactly as the
// Staff screen does (and is audited the same way), so the bot refuses the member's next tap.
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { connectMongo } from '../src/db/connect.js';
import { createDataCipher } from '../src/security/crypto.js';
import { createI18n } from '../src/i18n/index.js';
import { createServices } from '../src/services/index.js';
import type { DeliveryQueue } from '../src/delivery/types.js';
import { grammyBot, grammyCaller } from '../src/telegram/grammy-runtime.js';
import { removeFromStaffGroup } from '../src/features/staff-admin/staff-group.js';

const [command, rawId] = process.argv.slice(2);
const adminFlag = process.argv.indexOf('--admin');
const adminId = adminFlag > 0 ? Number(process.argv[adminFlag + 1]) : NaN;
const id = Number(rawId);
if (!['show', 'revoke'].includes(command ?? '') || !Number.isSafeInteger(id) || (command === 'revoke' && !Number.isSafeInteger(adminId))) {
  process.stderr.write('usage: npm run staff -- show TELEGRAM_ID | revoke TELEGRAM_ID --admin YOUR_ADMIN_ID\n');
  process.exit(2);
}

const config = loadConfig();
// On stderr: stdout carries the answers a script reads.
const logger = createLogger(config.LOG_LEVEL, process.stderr);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const mongo = await connectMongo(config.MONGODB_URI);
// Nothing here sends messages; a queue that refuses makes sure of it.
const delivery: DeliveryQueue = {
  enqueue: async () => Promise.reject(new Error('no delivery from the staff console')),
  cancel: async () => undefined,
};
try {
  const services = createServices({
    connection: mongo,
    redis,
    cipher: createDataCipher(config.DATA_KEY),
    config,
    i18n: await createI18n(),
    delivery,
    logger,
    now: () => new Date(),
  });
  if (command === 'show') {
    process.stdout.write(`${JSON.stringify(await services.staff.accessOf(id))}\n`);
  } else {
    if (!config.ADMIN_IDS.includes(adminId)) throw new Error(`${adminId} is not in ADMIN_IDS`);
    const revoked = await services.staff.revoke(adminId, id);
    process.stdout.write(revoked ? `revoked ${id}\n` : `${id} had no staff access\n`);
    // Out of the staff group too, as the Staff screen does: every citizen's question is posted there.
    const api = config.STAFF_CHAT_ID ? grammyCaller(grammyBot(config.BOT_TOKEN, config.TELEGRAM_API_ROOT)) : undefined;
    // Also when it had none left: a first run may have stopped past the withdrawal (the audit
    // write failed), and running it again is how an admin finishes it.
    const gone = revoked || !(await services.staff.accessOf(id));
    const group = gone ? await removeFromStaffGroup({ chatId: config.STAFF_CHAT_ID, api, logger, adminIds: config.ADMIN_IDS }, id) : 'no-group';
    if (group === 'removed') process.stdout.write(`removed ${id} from the staff group\n`);
    if (group === 'admin') process.stdout.write(`${id} is in ADMIN_IDS: still an administrator, left in the staff group\n`);
    if (group === 'failed') process.stdout.write(`could not remove ${id} from the staff group (the bot needs the right to ban members there): remove them by hand\n`);
  }
} finally {
  redis.disconnect();
  await mongo.close();
}
