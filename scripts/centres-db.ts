// The database the directory commands work on, with a plain message when it cannot be reached.
import type { Connection } from 'mongoose';
import { connectMongo } from '../src/db/connect.js';
import type { CommandIo } from './command-io.js';

const DEFAULT_URI = 'mongodb://127.0.0.1:27017/komek';

/** Host and database only: the URI may carry a password, which must not reach the terminal or logs. */
function describe(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.host}${url.pathname}`;
  } catch {
    return 'the address in MONGODB_URI';
  }
}

/** The connection, or null once the reason it failed is written (the command then exits with 2). */
export async function connectDirectory(io: CommandIo): Promise<Connection | null> {
  const uri = io.env.MONGODB_URI || DEFAULT_URI;
  try {
    return await connectMongo(uri);
  } catch (error) {
    io.err(`Cannot reach the database at ${describe(uri)} (${(error as Error).name}). Set MONGODB_URI, e.g. MONGODB_URI=mongodb://HOST:27017/komek\n`);
    return null;
  }
}

/** Runs `work` on the database and closes it after; exit code 2 when it cannot be reached. */
export async function onDirectory(io: CommandIo, work: (connection: Connection) => Promise<number>): Promise<number> {
  const connection = await connectDirectory(io);
  if (!connection) return 2;
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
