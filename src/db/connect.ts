import mongoose, { type Connection } from 'mongoose';

/**
 * One connection per process, created by main.ts or a test. Models are bound to it (see
 * models/), never to mongoose's global default, so tests can run several apps side by side.
 */
export async function connectMongo(uri: string): Promise<Connection> {
  // Queries are built from validated values only; sanitizeFilter is the second line of defence
  // against operator injection ({ $ne: ... }) should an unvalidated value ever slip through.
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, sanitizeFilter: true } as never);
  connection.set('sanitizeFilter', true);
  await connection.asPromise();
  return connection;
}
