// Test stub for the VS Code webview API: defines acquireVsCodeApi() and answers the SOC Analytics
// protocol (src/shared/protocol.ts) with a fake dashboard and 1,000,000 synthetic findings that are
// generated on demand. Records everything the webview sends in window.__sent.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const N = Number(params.get('rows') || 1000000);
  const LATENCY = Number(params.get('latency') || 4);
  const XSS_IMG = '<img src=x onerror="window.__pwned=1">';
  const XSS_SCRIPT = '<script>window.__pwned=1</script>';
  window.__XSS = [XSS_IMG, XSS_SCRIPT];
  // "Trojan Source": U+202E shows invoice\u202etxt.exe as invoiceexe.txt unless the control is made visible
  const BIDI_PATH = 'C:\\Temp\\invoice\u202etxt.exe';
  // a host name with a zero-width space looks like WS-0000 unless the character is made visible
  const ZWSP_HOST = 'WS-0000\u200b';
  window.__sent = [];
  window.__silent = params.get('silent') === '1';
  window.__rendered = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  });

  const LEVELS = ['ALERT', 'WARNING', 'WARNING', 'NOTICE', 'NOTICE', 'NOTICE'];
  const RULES = ['APT_Cobalt_Strike_Beacon', 'Mimikatz_Memory', 'SUSP_PowerShell_Encoded', 'WEBSHELL_ASPX_Generic', 'HKTL_Rubeus', 'Filename IOC: \\\\Temp\\\\svch0st.exe', 'MAL_Emotet_Loader', 'SUSP_LNK_Download', 'Levenshtein: lsasss.exe', XSS_IMG, 'PUA_AnyDesk', 'SUSP_Scheduled_Task'];
  const COLUMNS = [
    { id: 'row', title: '#', type: 'number', width: 70 },
    { id: 'time', title: 'Time', type: 'time', width: 150 },
    { id: 'host', title: 'Host', type: 'text', width: 120 },
    { id: 'level', title: 'Level', type: 'text', width: 80 },
    { id: 'score', title: 'Score', type: 'number', width: 64 },
    { id: 'rule', title: 'Rule', type: 'text', width: 200 },
    { id: 'path', title: 'Path', type: 'text', width: 340 },
    { id: 'module', title: 'Module', type: 'text', width: 100 },
    { id: 'md5', title: 'MD5', type: 'text', width: 250, hidden: true },
    { id: 'message', title: 'Message', type: 'text', width: 400, hidden: true },
  ];
  const pad = (n, w) => String(n).padStart(w, '0');
  function cell(i, col) {
    switch (col) {
      case 'row': return String(i);
      case 'time': { const s = 1714550400 + i * 3; const d = new Date(s * 1000); return d.toISOString().slice(0, 19).replace('T', ' '); }
      case 'host': return i === 3 ? ZWSP_HOST : 'WS-' + pad((i * 7919) % 480, 4);
      case 'level': return LEVELS[i % LEVELS.length];
      case 'score': return String((i * 37) % 300);
      case 'rule': return RULES[(i * 5) % RULES.length];
      case 'path': return i === 0 ? XSS_IMG : i === 1 ? XSS_SCRIPT : i === 2 ? BIDI_PATH : 'C:\\Users\\user' + (i % 40) + '\\AppData\\Local\\Temp\\file_' + i + '.exe';
      case 'module': return i % 9 === 0 ? 'ProcessScan' : 'FileScan';
      case 'md5': return ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(4);
      case 'message': return 'FILE: ' + cell(i, 'path') + ' SCORE: ' + cell(i, 'score') + ' REASON_1: ' + cell(i, 'rule');
    }
    return '';
  }
  function rowCells(i) { return COLUMNS.map((c) => cell(i, c.id)); }

  // ---- query evaluation (cached per filter key) -------------------------------------------------
  let cacheKey = '';
  let cacheIds = null; // null = identity
  function matches(q) {
    const key = JSON.stringify([q.columnFilters || {}, q.search || '', q.facets || {}, q.sort || null]);
    if (key === cacheKey) return cacheIds;
    const facets = Object.entries(q.facets || {});
    const filters = Object.entries(q.columnFilters || {}).map(([k, v]) => [k, String(v).toLowerCase()]);
    const search = (q.search || '').toLowerCase();
    let ids = null;
    if (facets.length || filters.length || search) {
      const out = [];
      for (let i = 0; i < N; i++) {
        let ok = true;
        for (const [k, v] of facets) if (cell(i, k) !== v) { ok = false; break; }
        if (ok) for (const [k, v] of filters) if (!cell(i, k).toLowerCase().includes(v)) { ok = false; break; }
        if (ok && search) ok = COLUMNS.some((c) => !c.hidden && cell(i, c.id).toLowerCase().includes(search));
        if (ok) out.push(i);
      }
      ids = out;
    }
    if (q.sort) {
      // stub semantics: numeric 'score' is bucket-sorted, everything else sorts by row index
      const base = ids || Array.from({ length: N }, (_, i) => i);
      let sorted = base;
      if (q.sort.column === 'score') {
        const buckets = Array.from({ length: 300 }, () => []);
        for (const i of base) buckets[(i * 37) % 300].push(i);
        sorted = [].concat(...buckets);
      }
      if (q.sort.dir === 'desc') sorted = sorted.slice().reverse();
      ids = sorted;
    }
    cacheKey = key;
    cacheIds = ids;
    return ids;
  }

  function model() {
    return {
      kind: 'loki',
      title: 'Loki scan — incident 4711 ' + XSS_SCRIPT,
      subtitle: '480 hosts · 512 files · scanned 2024-05-01 08:00 – 2024-05-02 17:42 ' + XSS_IMG,
      displayZone: 'Europe/Berlin',
      totalRows: N,
      columns: COLUMNS,
      cards: [
        { id: 'findings', label: 'Findings', value: N, facet: undefined },
        { id: 'alerts', label: 'Alerts', value: Math.ceil(N / 6), tone: 'alert', facet: { level: 'ALERT' } },
        { id: 'warnings', label: 'Warnings', value: Math.ceil(N / 3), tone: 'warning', facet: { level: 'WARNING' } },
        { id: 'notices', label: 'Notices', value: N / 2, tone: 'notice', facet: { level: 'NOTICE' } },
        { id: 'hosts', label: 'Hosts', value: 480 },
        { id: 'hostsWithFindings', label: 'Hosts with findings', value: 455, tone: 'alert' },
        { id: 'cleanHosts', label: 'Clean hosts', value: 25, tone: 'ok' },
        { id: 'unparsed', label: 'Unparsed lines', value: 17, tone: 'warning' },
      ],
      charts: [
        { id: 'levels', title: 'Findings by level', labels: ['ALERT', 'WARNING', 'NOTICE'], values: [Math.ceil(N / 6), Math.ceil(N / 3), N / 2], colorKeys: ['ALERT', 'WARNING', 'NOTICE'], facetColumn: 'level' },
        { id: 'rules', title: 'Top rules', labels: RULES.slice(0, 10), values: [9100, 8200, 7000, 5100, 4000, 3500, 2100, 1500, 900, 400], facetColumn: 'rule' },
        { id: 'hosts', title: 'Top hosts', labels: Array.from({ length: 10 }, (_, i) => 'WS-' + pad(i * 13, 4)), values: [2400, 2200, 1900, 1800, 1500, 1400, 1000, 900, 800, 500], facetColumn: 'host' },
      ],
      tables: [
        { id: 'hosts', title: 'Hosts', facetColumn: 'host', facetIndex: 0,
          columns: [{ id: 'host', title: 'Host', type: 'text' }, { id: 'verdict', title: 'Verdict', type: 'text' }, { id: 'alerts', title: 'Alerts', type: 'number' }, { id: 'warnings', title: 'Warnings', type: 'number' }, { id: 'notices', title: 'Notices', type: 'number' }, { id: 'version', title: 'Loki version', type: 'text' }, { id: 'file', title: 'File', type: 'text' }],
          rows: Array.from({ length: 60 }, (_, i) => ['WS-' + pad(i, 4), i % 7 === 0 ? 'clean' : 'indicators', (i * 3) % 17, (i * 5) % 23, (i * 11) % 41, '0.51.0', i === 3 ? XSS_IMG : '/cases/4711/loki/WS-' + pad(i, 4) + '.log']) },
        { id: 'rules', title: 'Rules', facetColumn: 'rule', facetIndex: 0,
          columns: [{ id: 'rule', title: 'Rule', type: 'text' }, { id: 'kind', title: 'Kind', type: 'text' }, { id: 'count', title: 'Findings', type: 'number' }, { id: 'hosts', title: 'Hosts', type: 'number' }],
          rows: RULES.map((r, i) => [r, 'yara', 9000 - i * 700, 400 - i * 30]) },
        { id: 'files', title: 'Files', columns: [{ id: 'path', title: 'Path', type: 'text' }, { id: 'count', title: 'Findings', type: 'number' }, { id: 'hosts', title: 'Hosts', type: 'number' }, { id: 'max', title: 'Max score', type: 'number' }],
          rows: Array.from({ length: 25 }, (_, i) => ['C:\\Windows\\Temp\\dropper_' + i + '.exe', 500 - i * 10, 40 - i, 300 - i * 5]) },
        { id: 'matrix', title: 'Host × rule', facetColumn: 'host', facetIndex: 0,
          columns: [{ id: 'host', title: 'Host', type: 'text' }].concat(RULES.slice(0, 8).map((r, j) => ({ id: 'r' + j, title: r, type: 'number' }))),
          rows: Array.from({ length: 30 }, (_, i) => ['WS-' + pad(i, 4)].concat(RULES.slice(0, 8).map((_, j) => ((i + 1) * (j + 3)) % 13))) },
        { id: 'inputs', title: 'Inputs', columns: [{ id: 'file', title: 'File', type: 'text' }, { id: 'format', title: 'Format', type: 'text' }, { id: 'enc', title: 'Encoding', type: 'text' }, { id: 'lines', title: 'Lines', type: 'number' }, { id: 'findings', title: 'Findings', type: 'number' }, { id: 'errors', title: 'Errors', type: 'number' }],
          rows: Array.from({ length: 12 }, (_, i) => ['/cases/4711/loki/WS-' + pad(i, 4) + '.log', 'loki-plain', 'utf-8', 120000 + i, 2000 + i, i % 3]) },
        { id: 'errors', title: 'Errors', columns: [{ id: 'file', title: 'File', type: 'text' }, { id: 'line', title: 'Line', type: 'number' }, { id: 'msg', title: 'Message', type: 'text' }],
          rows: [['/cases/4711/loki/WS-0003.log', 17, 'unparsed line: ' + XSS_SCRIPT]] },
      ],
      notices: [{ id: 'rules-file', severity: 'error', title: 'Tagging rules file could not be read — the cases were NOT tagged',
        lines: ['/ws/.soc/tagging.json:14:1: not valid JSON: ' + XSS_SCRIPT, 'The cases were NOT tagged by it.'] }],
      problems: { count: 17, sample: [
        { file: '/cases/4711/loki/WS-0003.log', line: 17, message: 'unparsed line: ' + XSS_SCRIPT },
        { file: '/cases/4711/loki/WS-0009.log', line: 2048, message: 'truncated record' },
        { file: '/cases/4711/loki/notes.bin', line: 0, message: 'not a text file (binary data)' },
      ] },
    };
  }

  function detail(row) {
    const cells = rowCells(row);
    return {
      row, title: 'Finding ' + row + ' on ' + cell(row, 'host'), canReveal: true,
      fields: COLUMNS.map((c, i) => ({ label: c.title, value: cells[i] })),
      sections: [
        { title: 'Reason 1: ' + cell(row, 'rule'), fields: [{ label: 'Kind', value: 'yara' }, { label: 'Sub-score', value: '70' }, { label: 'Description', value: 'Detects ' + XSS_IMG }, { label: 'Matches', value: 'Str1: 4d5a90 Str2: ' + XSS_SCRIPT }] },
        { title: 'Reason 2: Mimikatz_Memory', fields: [{ label: 'Kind', value: 'yara' }, { label: 'Sub-score', value: '60' }] },
      ],
    };
  }

  function answer(env) {
    const b = env.body;
    switch (b.type) {
      case 'ready':
        // ?fail=1 / ?fail=cancel: the host could not load the analysis (its input unreadable) or the user cancelled; Retry loads it
        if (params.get('fail')) return params.get('fail') === 'cancel' ? { type: 'loadFailed', message: 'Loading the analysis was cancelled.', cancelled: true } : { type: 'loadFailed', message: "EACCES: permission denied, open 'C:\\cases\\" + XSS_IMG + "'" };
      // falls through
      case 'retry': {
        // ?tables=0: a dashboard with one tab (the findings table only), as the merged timeline
        const m = model();
        if (params.get('tables') === '0') m.tables = [];
        return { type: 'model', model: m };
      }
      case 'query': {
        const t0 = performance.now();
        const ids = matches(b.query);
        const total = ids ? ids.length : N;
        const out = [];
        const rows = [];
        for (let k = b.offset; k < Math.min(total, b.offset + b.limit); k++) {
          const id = ids ? ids[k] : k;
          out.push(id);
          rows.push(rowCells(id));
        }
        return { type: 'rows', total, offset: b.offset, ids: out, rows, elapsedMs: performance.now() - t0 };
      }
      case 'detail': return { type: 'detail', detail: detail(b.row) };
      case 'reveal': case 'exportCsv': case 'copy': return { type: 'ack' };
      default: return undefined;
    }
  }

  let hostId = 1;
  let state = JSON.parse(sessionStorage.getItem('__vscodeState') || 'null') || undefined;
  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage(env) {
        const copy = JSON.parse(JSON.stringify(env));
        window.__sent.push(copy.body);
        if (copy.body.type === 'rendered') window.__rendered.push(copy.body);
        const deliver = (reply) => {
          if (reply) setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data: { id: hostId++, inReplyTo: copy.id, body: reply } })), LATENCY);
        };
        // ?silent=1: the host is gone (its extension host stopped): `ready` gets no answer while window.__silent is true
        if (copy.body.type === 'ready' && window.__silent) return;
        // ?loading=1: the host says at once that it re-runs the analysis (hostile title), and answers 600 ms later
        if ((copy.body.type === 'ready' || copy.body.type === 'retry') && params.get('loading')) {
          window.__push({ type: 'loading', message: 'Re-running “' + XSS_IMG + '” from its input files (its result is no longer in memory).' });
          const reply = answer(copy);
          setTimeout(() => deliver(reply), 600);
          return;
        }
        if (params.get('backend') === 'node') window.__nodeAnswer(JSON.stringify(copy.body)).then((r) => deliver(r && JSON.parse(r)));
        else deliver(answer(copy));
      },
      getState() { return state; },
      setState(s) { state = JSON.parse(JSON.stringify(s)); sessionStorage.setItem('__vscodeState', JSON.stringify(state)); window.__state = state; return s; },
    };
  };
  /** The dashboard model, for a test that pushes it again (as the host does after a safelist or a zone change). */
  window.__stubModel = model;
  /** Host push (e.g. refreshAll) for tests. */
  window.__push = (body) => window.dispatchEvent(new MessageEvent('message', { data: { id: hostId++, body } }));
})();
