/**
 * Entry of a beacon parse worker (bundled to dist/zeek-worker.js; see pool.ts): reads the
 * connection files it is sent, one at a time, into columns, and scores ranges of IP pairs
 * (score-ip.ts), posting the results back with their buffers transferred. It also parses Loki
 * result files into columnar findings stores (`loki` → `lokiDone`, run-loki.ts). Protocol (pool.ts
 * `ToParseWorker` / `FromParseWorker`): `ready` once loaded; per file `bytes` progress messages,
 * then `done` (columns + file result); per scoring job `scored` (rows); `failed` (message) when
 * a job threw.
 */
import { parentPort } from 'node:worker_threads';
import { AsciiInterner } from '../../parse/zeek';
import { columnBuffers, readConnColumns } from './columns';
import type { FromParseWorker, ToParseWorker } from './pool';
import { rowBuffers, scoreIpPairs } from './score-ip';
import { parseLokiFileColumnar, ReadBuffers } from '../../parse/loki';
import { LokiIntern } from '../../parse/loki-intern';
import { LokiFindingStore, MessageReader } from '../../parse/loki-store';

const port = parentPort;
// addresses and protocols of every file this worker read: each file sends only its new texts
const names = new AsciiInterner();
// Loki: texts shared by the findings of every file this worker parses (see loki-intern.ts); the
// reader is never used here (findings are built in the thread that runs the analysis).
const lokiIntern = new LokiIntern();
const lokiReader = new MessageReader();
// read buffers reused by the files this worker parses (each file being read takes its own pair)
/** Read buffers of this worker's Loki files, made with its first one (a worker that never parses Loki sets up no locator). */
let lokiBuffers: ReadBuffers | undefined;
if (port) {
  port.on('message', (msg: ToParseWorker) => {
    if (msg.type === 'loki') {
      let last = 0;
      parseLokiFileColumnar(msg.file, lokiReader, {
        intern: lokiIntern,
        buffers: (lokiBuffers ??= new ReadBuffers()),
        onBytes: (b) => {
          if (b - last < 4 << 20) return;
          last = b;
          port.postMessage({ type: 'bytes', id: msg.id, bytes: b } satisfies FromParseWorker);
        },
      }).then(
        (r) => {
          if (!(r.findings instanceof LokiFindingStore)) throw new Error('not a findings store');
          const { data, transfer } = r.findings.toData();
          port.postMessage({ type: 'lokiDone', id: msg.id, result: { ...r, findings: data } } satisfies FromParseWorker, transfer);
        },
      ).catch((e: unknown) => port.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies FromParseWorker));
      return;
    }
    if (msg.type === 'score') {
      try {
        const rows = scoreIpPairs(msg.job);
        port.postMessage({ type: 'scored', id: msg.id, rows } satisfies FromParseWorker, rowBuffers(rows));
      } catch (e) {
        port.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies FromParseWorker);
      }
      return;
    }
    if (msg.type !== 'parse') return;
    let last = 0;
    readConnColumns(msg.info, {
      onBytes: (b) => {
        // a few progress messages per file (every 4 MB read from disk)
        if (b - last < 4 << 20) return;
        last = b;
        port.postMessage({ type: 'bytes', id: msg.id, bytes: b } satisfies FromParseWorker);
      },
    }, names).then(
      (parsed) => port.postMessage({ type: 'done', id: msg.id, parsed } satisfies FromParseWorker, columnBuffers(parsed.cols)),
      (e: unknown) => port.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies FromParseWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromParseWorker);
}
