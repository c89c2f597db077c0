import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseName, testMongoUri, testRedisPrefix, testRedisUrl, withDatabase } from './isolation.js';

describe('test services', () => {
  let redis: Redis;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl(), { keyPrefix: testRedisPrefix('services') });
    conn = await mongoose.createConnection(testMongoUri('services')).asPromise();
  });

  afterAll(async () => {
    redis.disconnect();
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });

  it('answers redis PING and keeps keys under the file prefix', async () => {
    expect(await redis.ping()).toBe('PONG');
    await redis.set('greeting', 'salem', 'EX', 60);
    expect(await redis.get('greeting')).toBe('salem');
    const raw = new Redis(testRedisUrl());
    try {
      const keys = await raw.keys(`${redis.options.keyPrefix}*`);
      expect(keys).toEqual([`${redis.options.keyPrefix}greeting`]);
    } finally {
      raw.disconnect();
    }
  });

  it('stores and finds a document through mongoose', async () => {
    const Note = conn.model('Note', new mongoose.Schema({ title: String, n: Number }));
    await Note.create({ title: 'kómek', n: 1 });
    const found = await Note.findOne({ title: 'kómek' }).lean();
    expect(found?.n).toBe(1);
    expect(conn.db?.databaseName).toMatch(/^komek_test_services_[a-z0-9]{6}$/);
  });

  it('enforces a unique index', async () => {
    const schema = new mongoose.Schema({ telegramId: { type: Number, required: true } });
    schema.index({ telegramId: 1 }, { unique: true });
    const Person = conn.model('Person', schema);
    await Person.init();
    await Person.create({ telegramId: 42 });
    await expect(Person.create({ telegramId: 42 })).rejects.toMatchObject({ code: 11000 });
    expect(await Person.countDocuments()).toBe(1);
  });
});

describe('isolation helpers', () => {
  it('makes short, safe, unique database names', () => {
    const a = testDatabaseName('A very long test-file name, with punctuation!');
    const b = testDatabaseName('A very long test-file name, with punctuation!');
    expect(a).toMatch(/^[a-z0-9_]+$/);
    expect(a.length).toBeLessThan(38);
    expect(a).not.toBe(b);
  });

  it('replaces only the database part of a URI', () => {
    expect(withDatabase('mongodb://127.0.0.1:1234/', 'x')).toBe('mongodb://127.0.0.1:1234/x');
    expect(withDatabase('mongodb://127.0.0.1:1234', 'x')).toBe('mongodb://127.0.0.1:1234/x');
    expect(withDatabase('mongodb://u:p@h1:1,h2:2/old?authSource=admin', 'x')).toBe(
      'mongodb://u:p@h1:1,h2:2/x?authSource=admin',
    );
    expect(withDatabase('mongodb://h?tls=true', 'x')).toBe('mongodb://h/x?tls=true');
  });

  it('makes distinct redis prefixes', () => {
    expect(testRedisPrefix('a')).not.toBe(testRedisPrefix('a'));
    expect(testRedisPrefix('Session Store')).toMatch(/^test:session_store:[a-z0-9]{6}:$/);
  });
});
