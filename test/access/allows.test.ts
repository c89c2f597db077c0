// The permission table and scopes of src/app/access.ts, the contract other features code against.
import { describe, expect, it } from 'vitest';
import { allows, FULL_ACCESS, LEGACY_STAFF_ACCESS, PERMISSIONS, regionsFor, type Access, type Permission } from '../../src/app/access.js';

const only = (roles: Access['roles'], regions: string[] | null = null, topics: string[] | null = null): Access => ({ roles, regions, topics });

describe('allows', () => {
  it('gives citizens nothing', () => {
    for (const p of PERMISSIONS) expect(allows(null, p)).toBe(false);
    expect(allows(only([]), 'grants.review')).toBe(false);
  });

  it('follows the role table of issue 10', () => {
    const table: Record<string, Permission[]> = {
      reviewer: ['grants.review', 'grants.export'],
      coordinator: ['missions.manage'],
      broadcaster: ['broadcasts.send'],
      operator: ['inquiries.answer'],
    };
    for (const [role, granted] of Object.entries(table)) {
      for (const p of PERMISSIONS) expect(allows(only([role as Access['roles'][number]]), p), `${role} ${p}`).toBe(granted.includes(p));
    }
    for (const p of PERMISSIONS) expect(allows(only(['admin']), p)).toBe(true);
  });

  it('limits by region and topic only where a scope is asked about', () => {
    const almaty = only(['reviewer'], ['almaty', 'almaty-region']);
    expect(allows(almaty, 'grants.review')).toBe(true);
    expect(allows(almaty, 'grants.review', { region: 'almaty' })).toBe(true);
    expect(allows(almaty, 'grants.review', { region: 'astana' })).toBe(false);
    const operator = only(['operator'], null, ['grants']);
    expect(allows(operator, 'inquiries.answer', { topic: 'grants' })).toBe(true);
    expect(allows(operator, 'inquiries.answer', { topic: 'rehab' })).toBe(false);
    expect(allows(operator, 'inquiries.answer', { region: 'abai', topic: 'grants' })).toBe(true);
  });

  it('never limits admins, from ADMIN_IDS or invited', () => {
    expect(allows(FULL_ACCESS, 'staff.manage', { region: 'abai', topic: 'other' })).toBe(true);
    expect(allows(only(['admin'], ['astana']), 'grants.review', { region: 'abai' })).toBe(true);
    expect(regionsFor(FULL_ACCESS, 'grants.export')).toBeNull();
  });

  it('gives a role several permissions and several roles their union', () => {
    const both = only(['reviewer', 'broadcaster'], ['astana']);
    expect(allows(both, 'broadcasts.send', { region: 'astana' })).toBe(true);
    expect(allows(both, 'missions.manage')).toBe(false);
    expect(regionsFor(both, 'grants.review')).toEqual(['astana']);
    expect(regionsFor(both, 'missions.manage')).toEqual([]);
  });

  it('reads legacy staff as every staff power but staff management', () => {
    for (const p of PERMISSIONS) expect(allows(LEGACY_STAFF_ACCESS, p, { region: 'abai' })).toBe(p !== 'staff.manage');
  });
});
