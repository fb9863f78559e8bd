import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineDiscoveryHandler, defineHandler, PermanentError } from './define';

/**
 * Discovers the files under a directory: one item per file, keyed by its path relative to the
 * directory, so running it again finds the same items and only new files are new. The directory
 * must lie under FILE_ROOTS; symbolic links inside it are not followed.
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
  async *discover({ params, signal, files }) {
    let found = 0;
    for await (const file of files.walk(params.path, { signal })) {
      if (found >= params.maxFiles) return;
      if (params.extensions && !params.extensions.some((ext) => file.path.endsWith(ext))) continue;
      found++;
      yield {
        key: file.relativePath,
        data: { path: file.path, size: file.size, modifiedAt: file.modifiedAt.toISOString() },
      };
    }
  },
});

const fileItem = z.object({ path: z.string().min(1) });

/** Reads the item's file (`data.path`, under FILE_ROOTS) and records its size and digest. */
export const fileChecksumHandler = defineHandler({
  name: 'file.checksum',
  version: '1',
  description: 'Streams data.path through sha256 and stores the digest and byte count.',
  params: z.object({ algorithm: z.enum(['sha256', 'sha1', 'md5']).default('sha256') }),
  async process(item, { params, signal, files }) {
    const parsed = fileItem.safeParse(item.data);
    if (!parsed.success)
      throw new PermanentError(`file.checksum: item ${item.key} has no data.path`);
    const hash = createHash(params.algorithm);
    let bytes = 0;
    for await (const chunk of files.stream(parsed.data.path, { signal })) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { algorithm: params.algorithm, digest: hash.digest('hex'), bytes };
  },
});
