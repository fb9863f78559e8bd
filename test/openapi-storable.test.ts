import { describe, expect, it } from 'vitest';
import { excludesNul } from '../api/openapi-storable';

describe('excludesNul', () => {
  it.each([
    ['^[a-zA-Z0-9_.-]+$', true],
    ['^[A-Za-z0-9_.:-]{1,200}$', true],
    ['^\\d{1,4}\\.\\d{1,15}$', true],
    ['^/', false],
    ['^a.b$', false],
    ['^[^a]+$', false],
    ['^[a-z\\u0000]+$', false],
    ['^\\s+$', false],
  ])('%s → %s', (pattern, expected) => {
    expect(excludesNul(pattern)).toBe(expected);
  });
});
