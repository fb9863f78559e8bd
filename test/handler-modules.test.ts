import { describe, expect, it } from 'vitest';
import { loadHandlerRegistry } from '../handlers/load';

describe('HANDLER_MODULES', () => {
  it('adds the handlers a module exports to the built-in ones', async () => {
    const registry = await loadHandlerRegistry(['test/faults/counting-handler.ts']);
    expect(registry.get('test.counting')?.kind).toBe('item');
    expect(registry.has('noop')).toBe(true);
  });

  it('says which module failed and what it must export', async () => {
    await expect(loadHandlerRegistry(['test/no-such-module.ts'])).rejects.toThrow(
      /HANDLER_MODULES: cannot load .*no-such-module\.ts/,
    );
    await expect(loadHandlerRegistry(['test/harness.ts'])).rejects.toThrow(
      /must export `handlers`/,
    );
  });
});
