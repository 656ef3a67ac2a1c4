// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs = require('node:fs') as typeof import('node:fs');

/**
 * Runs `fn` with every `fs.openSync` of a path ending in `suffix` failing as the open of a file its reader may not
 * read does (EACCES, `permission denied`): root, who runs CI, reads any file whatever its mode.
 */
export async function withOpenDenied<T>(suffix: string, fn: () => Promise<T>): Promise<T> {
  const real = nodeFs.openSync;
  nodeFs.openSync = ((p: import('node:fs').PathLike, ...rest: unknown[]) => {
    if (String(p).endsWith(suffix)) throw Object.assign(new Error(`EACCES: permission denied, open '${String(p)}'`), { code: 'EACCES' });
    return (real as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof nodeFs.openSync;
  try {
    return await fn();
  } finally {
    nodeFs.openSync = real;
  }
}
