// npm run bench:backends — the look-ups on the path of an update, on FerretDB with each of its
// backends (SQLite and PostgreSQL, each started fresh), at BENCH_USERS users (default 20,000):
// a user who joined late, one who does not exist, the staff check, the new-user upsert, the
// upsert of a known user, and an audience count. Median of 7 runs each, with the query plan of
// the first look-up. This is how the local backend was chosen (docs/scaling.md).
import { connectMongo } from '../src/db/connect.js';
import { userModel } from '../src/db/models/user.js';
import { startFerret, type FerretBackend } from '../test/support/service-processes.js';
import { explainSummary } from './bench-plan.js';

const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const FIRST = 1_000_000;
const REPS = 7;

async function measure(backend: FerretBackend): Promise<Record<string, number | string>> {
  const ferret = await startFerret({ backend });
  const mongo = await connectMongo(`${ferret.url}komek_backends`);
  try {
    const users = userModel(mongo);
    await users.init();
    const t0 = performance.now();
    for (let i = 0; i < USERS; i += 2000) {
      await users.insertMany(
        Array.from({ length: Math.min(2000, USERS - i) }, (_, k) => ({ telegramId: FIRST + i + k, chatId: FIRST + i + k, locale: (['kk', 'ru', 'en'] as const)[k % 3], region: 'abai' })),
        { lean: true },
      );
    }
    const seedMs = performance.now() - t0;
    let fresh = 0;
    const ops: Record<string, () => Promise<unknown>> = {
      'findOne late user': () => users.findOne({ telegramId: FIRST + USERS - 3 }).lean(),
      'findOne missing user': () => users.findOne({ telegramId: 7 }).lean(),
      'staff check (exists)': () => users.exists({ telegramId: FIRST + USERS - 3, role: 'staff' }),
      'touch: new-user upsert': () =>
        users.updateOne({ telegramId: 5_000_000 + fresh++ }, { $set: { chatId: 1, blocked: false }, $setOnInsert: { locale: 'kk' } }, { upsert: true }),
      'touch: known-user upsert': () => users.updateOne({ telegramId: FIRST + USERS - 5 }, { $set: { chatId: FIRST + USERS - 5, blocked: false } }, { upsert: true }),
    };
    const out: Record<string, number | string> = { seed: seedMs };
    for (const [name, op] of Object.entries(ops)) {
      const times: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const s = performance.now();
        await op();
        times.push(performance.now() - s);
      }
      out[name] = times.sort((a, b) => a - b)[Math.floor(REPS / 2)]!;
    }
    out.plan = explainSummary(await users.find({ telegramId: FIRST + 3 }).explain());
    return out;
  } finally {
    await mongo.close();
    await ferret.stop();
  }
}

async function main(): Promise<void> {
  console.log(`bench:backends — FerretDB on SQLite and on PostgreSQL, ${USERS} users, median of ${REPS} (2 shared CPU cores)`);
  const sqlite = await measure('sqlite');
  const pg = await measure('postgresql');
  for (const key of Object.keys(sqlite)) {
    if (key === 'plan') continue;
    const a = Number(sqlite[key]);
    const b = Number(pg[key]);
    console.log(`  ${key.padEnd(26)} sqlite ${a.toFixed(1).padStart(8)} ms   postgresql ${b.toFixed(1).padStart(8)} ms   (${(a / b).toFixed(1)}x)`);
  }
  console.log(`  plan on postgresql: ${pg.plan}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
