import { constants, type Dirent } from 'node:fs';
import { type FileHandle, lstat, open, opendir, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { PermanentError } from './define';

/** Where handlers may read, as the deployment says (FILE_ROOTS, FILE_MAX_BYTES). */
export interface FileSettings {
  /** Absolute directories; none: every path is refused. */
  roots: readonly string[];
  /** The largest file a handler may read. */
  maxBytes: number;
}

/** A file `walk` found: its real path, its path relative to the directory walked, size, mtime. */
export interface FileEntry {
  path: string;
  relativePath: string;
  size: number;
  modifiedAt: Date;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** A smaller bound of the handler's own; FILE_MAX_BYTES bounds every read regardless. */
  maxBytes?: number;
}

/**
 * A handler's only way to files: each path (absolute, or relative to the worker's working
 * directory) must resolve, symbolic links followed, to a file under one of FILE_ROOTS.
 */
export interface Files {
  /** The real path of `path` when it lies under a root; a PermanentError otherwise. */
  resolve(path: string): Promise<string>;
  read(path: string, options?: ReadOptions): Promise<Buffer>;
  readText(path: string, options?: ReadOptions): Promise<string>;
  /** The file's bytes in chunks, for digests of files too large to hold. */
  stream(path: string, options?: ReadOptions): AsyncIterable<Buffer>;
  /** Every regular file under a directory; symbolic links are not followed. */
  walk(directory: string, options?: { signal?: AbortSignal }): AsyncIterable<FileEntry>;
}

const CHUNK_BYTES = 64 * 1024;

const isInside = (path: string, root: string) =>
  path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

export function createFiles(settings: FileSettings): Files {
  let realRoots: Promise<{ given: string; real: string }[]> | undefined;
  // Resolved on first use: a root made after the worker started still counts, one gone does not.
  const roots = () => {
    realRoots ??= Promise.all(
      settings.roots.map(async (given) => ({
        given: resolve(given),
        real: await realpath(given).catch(() => ''),
      })),
    ).then((all) => all.filter((root) => root.real !== ''));
    return realRoots;
  };

  async function resolveInside(path: string): Promise<string> {
    if (settings.roots.length === 0) {
      throw new PermanentError(
        `reading ${path} is refused: this deployment lets handlers read no files; set FILE_ROOTS to the directories handlers may read (comma-separated absolute paths)`,
      );
    }
    if (path.split(/[\\/]/).includes('..')) {
      throw new PermanentError(`reading ${path} is refused: a path may not contain ".."`);
    }
    const outside = () =>
      new PermanentError(
        `reading ${path} is refused: it lies outside FILE_ROOTS, the directories handlers may read; add its directory to FILE_ROOTS to allow it`,
      );
    const absolute = resolve(path);
    const known = await roots();
    // Nothing outside the roots is even looked at, so an error cannot tell what exists there.
    if (!known.some((root) => isInside(absolute, root.given) || isInside(absolute, root.real))) {
      throw outside();
    }
    let real: string;
    try {
      real = await realpath(absolute);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw new PermanentError(`${path} does not exist`);
      if (errorCode(error) === 'EACCES') throw new PermanentError(`${path} may not be read`);
      throw error;
    }
    if (!known.some((root) => isInside(real, root.real))) {
      throw new PermanentError(
        `reading ${path} is refused: a symbolic link leads outside FILE_ROOTS, the directories handlers may read`,
      );
    }
    return real;
  }

  async function openFile(path: string, limit: number): Promise<FileHandle> {
    const real = await resolveInside(path);
    // The checked path is opened without following a link swapped in since the check.
    const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(
      (error: unknown) => {
        if (errorCode(error) === 'ELOOP') throw new PermanentError(`${path} became a link`);
        if (errorCode(error) === 'EACCES') throw new PermanentError(`${path} may not be read`);
        throw error;
      },
    );
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new PermanentError(`${path} is not a regular file`);
      if (info.size > limit) throw overLimit(path, info.size, limit);
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  const overLimit = (path: string, size: number | string, limit: number) =>
    new PermanentError(
      limit < settings.maxBytes
        ? `${path} is ${size} bytes, over the ${limit} bytes this handler reads`
        : `${path} is ${size} bytes, over FILE_MAX_BYTES (${limit}); raise FILE_MAX_BYTES to read it`,
    );

  async function* chunks(path: string, options: ReadOptions = {}): AsyncGenerator<Buffer> {
    const limit = Math.min(options.maxBytes ?? settings.maxBytes, settings.maxBytes);
    const handle = await openFile(path, limit);
    try {
      let total = 0;
      for (;;) {
        options.signal?.throwIfAborted();
        const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) return;
        total += bytesRead;
        // The file may have grown since it was measured.
        if (total > limit) throw overLimit(path, `over ${total}`, limit);
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  }

  async function read(path: string, options?: ReadOptions): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of chunks(path, options)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  async function* walk(
    directory: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<FileEntry> {
    const base = await resolveInside(directory);
    const visit = async function* (dir: string): AsyncGenerator<FileEntry> {
      let entries: AsyncIterable<Dirent>;
      try {
        entries = await opendir(dir);
      } catch (error) {
        throw new PermanentError(`cannot read ${dir}: ${(error as Error).message}`);
      }
      for await (const entry of entries) {
        options.signal?.throwIfAborted();
        const full = join(dir, entry.name);
        // Dirent types come from the directory itself: a link is neither a file nor a directory
        // here, so the walk never leaves the root through one.
        if (entry.isDirectory()) {
          yield* visit(full);
        } else if (entry.isFile()) {
          const info = await lstat(full);
          yield {
            path: full,
            relativePath: relative(base, full),
            size: info.size,
            modifiedAt: info.mtime,
          };
        }
      }
    };
    yield* visit(base);
  }

  return {
    resolve: resolveInside,
    read,
    readText: async (path, options) => (await read(path, options)).toString('utf8'),
    stream: chunks,
    walk,
  };
}
