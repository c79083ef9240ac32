import { describe, expect, it } from 'vitest';
import { PERMISSION_LABELS, PERMISSIONS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from './access.js';

describe('permission and role labels', () => {
  it('names every permission a role holds, in Chinese, each name once', () => {
    const held = new Set(ROLES.flatMap((r) => [...ROLE_PERMISSIONS[r]]));
    for (const p of [...PERMISSIONS, ...held]) expect(PERMISSION_LABELS[p], p).toMatch(/^[\u4e00-\u9fa5（）、/]+$/);
    expect(Object.keys(PERMISSION_LABELS).sort()).toEqual([...PERMISSIONS].sort());
    const names = Object.values(PERMISSION_LABELS);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names every role', () => {
    for (const r of ROLES) expect(ROLE_LABELS[r]).toMatch(/[\u4e00-\u9fa5]/);
  });
});
