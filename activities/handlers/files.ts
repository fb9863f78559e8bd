import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { defineDiscoveryHandler, defineHandler, PermanentError } from './define';

/**
 * Discovers the files under a directory: one item per file, keyed by its path relative to the
 * directory, so running it again finds the same items and only new files are new.
 */
export const directoryFilesHandler = defineDiscoveryHandler({
  name: 'fs.directory',
  version: '1',
  description: 'Yields one item per file under `path` (recursively), keyed by relative path.',
  params: z.object({
    // A pattern, not a refinement: the API's document then says it too (POSIX paths).
    path: z.string().regex(/^\//, 'must be an absolute path'),
    extensions: z.array(z.string().regex(/^\.[\w.-]+$/, 'like ".txt"')).optional(),
    maxFiles: z.number().int().min(1).max(1_000_000).default(100_000),
  }),
  async *discover({ params, signal }) {
    let found = 0;
    const walk = async function* (dir: string): AsyncGenerator<{ key: string; data: unknown }> {
      let handle: Awaited<ReturnType<typeof opendir>>;
      try {
        handle = await opendir(dir);
      } catch (error) {
        throw new PermanentError(`fs.directory: cannot read ${dir}: ${(error as Error).message}`);
      }
      for await (const entry of handle) {
        if (signal.aborted || found >= params.maxFiles) return;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          yield* walk(full);
        } else if (entry.isFile()) {
          if (params.extensions && !params.extensions.some((ext) => entry.name.endsWith(ext)))
            continue;
          const info = await stat(full);
          found++;
          yield {
            key: relative(params.path, full),
            data: { path: full, size: info.size, modifiedAt: info.mtime.toISOString() },
          };
        }
      }
    };
    yield* walk(params.path);
  },
});

const fileItem = z.object({ path: z.string().min(1) });

/** Reads the item's file (`data.path`) and records its size and sha256. */
export const fileChecksumHandler = defineHandler({
  name: 'file.checksum',
  version: '1',
  description: 'Streams data.path through sha256 and stores the digest and byte count.',
  params: z.object({ algorithm: z.enum(['sha256', 'sha1', 'md5']).default('sha256') }),
  async process(item, { params, signal }) {
    const parsed = fileItem.safeParse(item.data);
    if (!parsed.success)
      throw new PermanentError(`file.checksum: item ${item.key} has no data.path`);
    const hash = createHash(params.algorithm);
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(parsed.data.path, { signal })) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new PermanentError(`file.checksum: ${parsed.data.path} does not exist`);
      }
      throw error;
    }
    return { algorithm: params.algorithm, digest: hash.digest('hex'), bytes };
  },
});
