// The readable half of the bench's output: the JSON report as plain-text tables.

const kb = (bytes) => (typeof bytes === 'number' ? `${(bytes / 1024).toFixed(1)} KB` : '—');
const ms = (value) => (typeof value === 'number' ? `${value.toFixed(0)} ms` : '—');
const num = (value) => (value === null || value === undefined ? '—' : String(value));
const x = (value) => (typeof value === 'number' ? `${value.toFixed(2)}×` : '—');

/** A plain-text table: the first row is the header; columns after the first are right-aligned. */
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((cell, i) => (i === 0 ? String(cell ?? '').padEnd(widths[i]) : String(cell ?? '').padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function weightSection(w) {
  const rows = [['Weight', 'minified', 'gzip', 'brotli', 'note']];
  const lazyNote = (m) =>
    m?.lazy?.length
      ? `+ lazy: ${m.lazy
          .filter((l) => l.modules.length)
          .map((l) => `${l.modules.map((x) => x.replace(/^.*\//, '').replace(/\.ts$/, '')).join('+')} ${kb(l.gzip)}`)
          .join(', ')}`
      : '';
  const add = (name, m, note = '') => rows.push(m && m.status !== undefined && m.status !== 'ok' ? [name, '—', '—', '—', m.status + (m.error ? `: ${String(m.error).slice(0, 60)}` : '')] : [name, kb(m?.bytes), kb(m?.gzip), kb(m?.brotli), note]);
  add('dist/cdn up front (Lit incl.)', w.cdn, w.cdn?.elementsMissingFromCdn?.length ? `lacks ${w.cdn.elementsMissingFromCdn.join(', ')}` : `${w.cdn?.files?.length ?? 0} file(s)`);
  for (const chunk of w.cdn?.lazyChunks ?? []) add(`  ${chunk.file} (lazy)`, chunk, 'on first use');
  if (w.cdn?.total) add('dist/cdn whole library (up front + lazy)', w.cdn.total, 'budget figure');
  for (const chunk of w.cdn?.translationChunks ?? []) add(`  ${chunk.file} (lazy)`, chunk, 'translation');
  for (const chunk of w.cdn?.msalChunks ?? []) add(`  ${chunk.file} (lazy)`, chunk, 'auth="msal" only');
  add('library, all elements (esbuild), up front', w.libraryAllElements, lazyNote(w.libraryAllElements));
  if (w.libraryAllElements?.total) add('library, all elements (esbuild), + lazy', w.libraryAllElements.total, 'budget figure');
  for (const [tag, e] of Object.entries(w.elements ?? {})) {
    if (e.status !== 'ok') {
      rows.push([`<${tag}>`, '—', '—', '—', e.status]);
      continue;
    }
    add(`<${tag}> + Lit`, e.withLit);
    add(`<${tag}>, Lit external`, e.litExternal);
  }
  add('client alone (src/dataverse/index.ts)', w.client, lazyNote(w.client));
  if (w.client?.total) add('client alone, + lazy chunks', w.client.total);
  add('client as the elements use it', w.clientAsUsed, lazyNote(w.clientAsUsed));
  add(`DynamicsWebApi ${w.dynamicsWebApi?.version ?? ''} (min.js)`, w.dynamicsWebApi);
  if (w.vaadinGrid?.status === 'ok') {
    add(`@vaadin/grid ${w.vaadinGrid.version} + deps`, w.vaadinGrid.withLit);
    add('@vaadin/grid, Lit external', w.vaadinGrid.litExternal);
  } else add('@vaadin/grid', w.vaadinGrid);
  let text = table(rows);
  if (w.client?.composition) {
    text += `\n\nClient bundle by module (minified bytes): ${w.client.composition.map((c) => `${c.module.replace('src/dataverse/', '')} ${c.bytes}`).join(', ')}`;
  }
  if (w.libraryAllElements?.composition) {
    text += `\nLibrary bundle by module (minified bytes): ${w.libraryAllElements.composition.slice(0, 12).map((c) => `${c.module.replace(/^src\//, '')} ${c.bytes}`).join(', ')}`;
  }
  if (w.libraryAllElements?.templateWhitespace) {
    const t = w.libraryAllElements.templateWhitespace;
    text += `\nWhat-if: collapsing the whitespace of ${t.literals} multi-line template literals (css/html) saves ${kb(t.gzipSaved)} gzip (${kb(t.bytesSaved)} minified).`;
  }
  return text;
}

function viewsSection(v) {
  const rows = [['First view (API requests)', 'requests', 'bytes', 'gzip body', 'first view', 'session (provider)', 'idle (2 s)']];
  for (const [tag, e] of Object.entries(v.elements)) {
    if (e.status !== 'ok') {
      rows.push([`<${tag}>`, e.status, '', '', '', e.reason ?? e.error?.slice(0, 60) ?? '', '']);
      continue;
    }
    rows.push([
      `<${tag}>`,
      `${e.apiRequests}${e.tokenRequests ? ` (+${e.tokenRequests} token)` : ''}`,
      kb(e.responseBytes),
      kb(e.bodyGzipBytes),
      ms(e.firstViewMs),
      `${e.session.api.requests} req${e.session.tokenRequests ? ` + ${e.session.tokenRequests} token` : ''}, ${ms(e.session.ms)}`,
      e.idle ? `${e.idle.runningAnimations.length} anim, ${e.idle.styleRecalcs} restyles, ${ms(e.idle.taskMs)}` : '—',
    ]);
  }
  let text = table(rows);
  const list = v.elements['scm-order-list'];
  if (list?.page50) text += `\n50-row list page: ${kb(list.page50.responseBytes)} transferred (uncompressed), ${kb(list.page50.bodyGzipBytes)} gzipped body.`;
  if (list?.liveFirstPoll) text += `\nList live updates, first poll: ${list.liveFirstPoll.requests} requests, ${kb(list.liveFirstPoll.responseBytes)} (${kb(list.liveFirstPoll.bodyGzipBytes)} gzipped).`;
  return text;
}

function timeSection(t) {
  const rows = [['Time (median of ' + t.runs + ')', 'scm-order-list', 'vaadin-grid', 'ratio', 'min–max (list)', 'min–max (grid)']];
  const range = (s) => `${ms(s.min)}–${ms(s.max)}`;
  for (const [rate, r] of Object.entries(t.byRate)) {
    const line = (label, key) => rows.push([label, ms(r.list[key].median), ms(r.grid[key].median), x(r.list[key].median / r.grid[key].median), range(r.list[key]), range(r.grid[key])]);
    line(`${rate}× CPU: connected → first rows`, 'firstRows');
    line('  of which client work', 'firstRowsClient');
    line('  of which waiting for data', 'firstRowsData');
    line(`${rate}× CPU: paging ${t.rowsPaged.toLocaleString('en-US')} rows`, 'paging');
    line('  of which client work', 'pagingClient');
    line('  of which waiting for data', 'pagingData');
    rows.push([`${rate}× CPU: DOM nodes of the first view`, num(r.list.firstNodes), num(r.grid.firstNodes), x(r.list.firstNodes / r.grid.firstNodes), '', '']);
    rows.push([`${rate}× CPU: requests (first / paging)`, `${num(r.list.firstRequests)} / ${num(r.list.pagingRequests)}`, `${num(r.grid.firstRequests)} / ${num(r.grid.pagingRequests)}`, '', '', '']);
  }
  return table(rows);
}

function heapSection(h) {
  const rows = [[`JS heap (${h.ordersBrowsed.toLocaleString('en-US')} orders browsed)`, 'scm-order-list', 'vaadin-grid', 'ratio']];
  rows.push(['portal ready (before)', kb(h.list.portalReady.usedBytes), kb(h.grid.portalReady.usedBytes), '']);
  rows.push(['after browsing', kb(h.list.afterBrowsing.usedBytes), kb(h.grid.afterBrowsing.usedBytes), x(h.list.afterBrowsing.usedBytes / h.grid.afterBrowsing.usedBytes)]);
  rows.push(['growth while browsing', kb(h.list.growthBytes), kb(h.grid.growthBytes), x(h.list.growthBytes / h.grid.growthBytes)]);
  rows.push(['retained after removing', kb(h.list.retainedAfterRemovingBytes), kb(h.grid.retainedAfterRemovingBytes), '']);
  return table(rows);
}

function typingSection(typing) {
  const rows = [['Typing (includes the 250 ms debounce)', 'last key → results (median)', 'requests per round', 'superseded', 'max key gap']];
  for (const [name, t] of Object.entries(typing)) {
    if (t.status !== 'ok') {
      rows.push([name, t.status, (t.reason ?? t.error ?? '').slice(0, 70), '', '']);
      continue;
    }
    rows.push([
      name,
      ms(t.lastKeystrokeToResultsMs.median),
      t.requestsPerRound.join(','),
      `${t.supersededRequests}${t.roundsWithAPause ? ` (${t.roundsWithAPause} round(s) paused ≥ ${t.debounceMs} ms: not counted)` : ''}`,
      ms(t.maxKeyGapMs),
    ]);
  }
  return table(rows);
}

export function formatReport(report) {
  const parts = [];
  if (report.weight) parts.push(weightSection(report.weight));
  if (report.msal) {
    const m = report.msal;
    parts.push(
      m.status === 'ok'
        ? `MSAL: auth="power-pages" → ${m.powerPages.msalRequests} MSAL requests (portal ${m.powerPages.portalStatus}); auth="msal" → ${m.msal.msalRequests} (${m.msal.chunk ?? 'none'}).`
        : `MSAL: ${m.status} — ${m.reason}`,
    );
  }
  const skipped = (name, section) => `${name}: ${section.status} — ${section.reason ?? section.error ?? ''}`;
  if (report.views) parts.push(report.views.elements ? viewsSection(report.views) : skipped('First views', report.views));
  if (report.time) parts.push(report.time.status === 'ok' ? timeSection(report.time) : `Time: ${report.time.status} — ${report.time.reason ?? ''}`);
  if (report.heap) parts.push(report.heap.status === 'ok' ? heapSection(report.heap) : `Heap: ${report.heap.status} — ${report.heap.reason ?? ''}`);
  if (report.typing) parts.push(report.typing.status ? skipped('Typing', report.typing) : typingSection(report.typing));
  if (report.peers.length) {
    parts.push(table([['Against the peers', 'ours', 'peer', 'ratio', ''], ...report.peers.map((p) => [p.name, num(p.ours), num(p.peer), x(p.ratio), p.behind ? 'BEHIND' : 'ok'])]));
  }
  if (report.budgets.length) {
    parts.push(table([['Budget', 'actual', 'limit', ''], ...report.budgets.map((b) => [b.name, num(b.actual), num(b.limit), b.ok ? 'ok' : 'EXCEEDED'])]));
    const failed = report.budgets.filter((b) => !b.ok);
    parts.push(failed.length ? `Budgets exceeded (${failed.length}): ${failed.map((b) => b.name).join('; ')}` : 'All budgets met.');
  }
  for (const note of report.notes) parts.push(`Note: ${note}`);
  if (report.error) parts.push(`Error: ${report.error.split('\n')[0]}`);
  return parts.join('\n\n');
}
