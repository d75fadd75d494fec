/**
 * Lists the local backend lazily, one directory at a time, in the same order S3 lists keys.
 *
 * Within a directory, entries are sorted by their key with a `/` appended to directory names:
 * every key under directory `d` starts with `d/`, so this gives global UTF-8 key order without
 * reading the whole tree first.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareKeys, RESERVED_SEGMENT_PREFIX } from './keys.js';
import { errno, fsError } from './local-files.js';
import type { ObjectInfo } from './types.js';

interface Entry {
  /** Key of a file, or key prefix ending in `/` of a directory. */
  key: string;
  dir: boolean;
}

async function readEntries(root: string, dirKey: string): Promise<Entry[]> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(join(root, ...dirKey.split('/')), { withFileTypes: true });
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return [];
    throw fsError(err, 'read', dirKey);
  }
  return dirents
    .filter((d) => !d.name.startsWith(RESERVED_SEGMENT_PREFIX) && (d.isFile() || d.isDirectory()))
    .map((d) => ({ key: `${dirKey}${d.name}${d.isDirectory() ? '/' : ''}`, dir: d.isDirectory() }))
    .sort((a, b) => compareKeys(a.key, b.key));
}

async function fileInfo(root: string, key: string): Promise<ObjectInfo | undefined> {
  try {
    const st = await stat(join(root, ...key.split('/')));
    return st.isFile() ? { key, size: st.size, lastModified: st.mtime } : undefined;
  } catch (err) {
    if (errno(err) === 'ENOENT') return undefined; // deleted while listing
    throw fsError(err, 'read', key);
  }
}

async function* walk(root: string, dirKey: string, prefix: string): AsyncGenerator<ObjectInfo> {
  for (const entry of await readEntries(root, dirKey)) {
    if (entry.dir) {
      // Descend only where keys can still match: the directory is inside the prefix or on its path.
      if (entry.key.startsWith(prefix) || prefix.startsWith(entry.key)) yield* walk(root, entry.key, prefix);
    } else if (entry.key.startsWith(prefix)) {
      const info = await fileInfo(root, entry.key);
      if (info) yield info;
    }
  }
}

/** Every object under `root` whose key starts with the (validated) `prefix`, in key order. */
export function listFiles(root: string, prefix: string): AsyncGenerator<ObjectInfo> {
  // All matches live under the prefix's last complete directory, so the walk starts there.
  const startDir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  return walk(root, startDir, prefix);
}
