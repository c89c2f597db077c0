import mongoose, { type Connection } from 'mongoose';

/**
 * One connection per process, created by main.ts or a test. Models are bound to it (see
 * models/), never to mongoose's global default, so tests can run several apps side by side.
 *
 * sanitizeFilter is deliberately off: it would also neutralise the operators our own code writes
 * ($gt, $exists, $inc conditions) unless each is wrapped in mongoose.trusted(). Operator injection
 * needs an attacker-shaped object in a filter, and nothing a user sends can become one here:
 * Telegram input reaches services only as strings and numbers that a zod schema has already
 * checked, and no service builds a filter from parsed user JSON.
 */
export async function connectMongo(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();
  return connection;
}
