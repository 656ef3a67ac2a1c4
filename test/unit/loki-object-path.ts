// The oracle of the columnar Loki store tests: what runLokiAnalysis did before the store.
import { parseLokiFile } from '../../src/core/parse/loki';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { analyzeLoki, type LokiAnalysis } from '../../src/core/analyze/loki-summary';

/** The object-path analysis of `dir`: parseLokiFile per discovered file + analyzeLoki (+ discovery's errors and skipped files). */
export async function objectPath(dir: string, includeAllScans = false): Promise<LokiAnalysis> {
  const disc = await discoverLokiFiles([dir]);
  const each = [];
  for (const f of disc.files) each.push(await parseLokiFile(f));
  const a = analyzeLoki(each, { includeAllScans });
  if (disc.errors.length > 0) a.errors = [...disc.errors, ...a.errors];
  if (disc.skipped.length > 0) a.skipped = [...disc.skipped, ...(a.skipped ?? [])];
  return a;
}
