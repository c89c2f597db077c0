// The database the centres commands work on, with a plain message when it cannot be reached.
import type { Connection } from 'mongoose';
import { connectMongo } from '../src/db/connect.js';

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

export async function connectDirectory(): Promise<Connection> {
  const uri = process.env.MONGODB_URI || DEFAULT_URI;
  try {
    return await connectMongo(uri);
  } catch (error) {
    console.error(`Cannot reach the database at ${describe(uri)} (${(error as Error).name}). Set MONGODB_URI, e.g. MONGODB_URI=mongodb://HOST:27017/komek`);
    process.exit(2);
  }
}
