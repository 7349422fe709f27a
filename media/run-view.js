// The run view's page: renders the state the extension posts (see src/extension/run-view.ts) and sends
// button clicks back. Built with DOM calls and textContent only: tool output is untrusted text.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function button(label, message, cls) {
    const b = el('button', cls || '', label);
    b.addEventListener('click', () => vscode.postMessage(message));
    return b;
  }
  function details(summary, body, open) {
    const d = el('details');
    if (open) d.open = true;
    d.appendChild(el('summary', '', summary));
    d.appendChild(body);
    return d;
  }
  function pre(text) {
    return el('pre', '', text);
  }
  const badgeFor = {
    running: 'badge running',
    resolved: 'badge ok',
    unresolved: 'badge bad',
    error: 'badge bad',
    cancelled: 'badge muted',
  };

  function renderHeader(run) {
    const h = el('section', 'header');
    const title = el('div', 'title');
    title.appendChild(el('span', badgeFor[run.phase] || 'badge', run.phase));
    const mode = run.k > 1 ? ` · ×${run.k} ${run.mode}` : '';
    title.appendChild(el('span', 'meta', `${run.runId || 'starting…'}${mode}`));
    h.appendChild(title);
    h.appendChild(el('div', 'issue', run.issue.length > 400 ? run.issue.slice(0, 400) + '…' : run.issue));
    if (run.error) h.appendChild(el('div', 'error', run.error));
    const actions = el('div', 'actions');
    if (run.phase === 'running') actions.appendChild(button('Cancel', { type: 'cancel' }, 'secondary'));
    const chosen = run.attempts.find((a) => a.index === (run.chosen ?? 0));
    if (run.phase !== 'running' && chosen && chosen.hasPatch && !run.discarded) {
      actions.appendChild(button('Review diff', { type: 'review', attempt: chosen.index }));
      if (!run.applied) actions.appendChild(button('Apply', { type: 'apply', attempt: chosen.index }));
      if (!run.applied) actions.appendChild(button('Discard', { type: 'discard' }, 'secondary'));
    }
    if (run.applied) actions.appendChild(el('span', 'badge ok', 'applied'));
    if (run.discarded) actions.appendChild(el('span', 'badge muted', 'discarded'));
    h.appendChild(actions);
    return h;
  }

  function renderMemory(label, items, empty) {
    const s = el('section', 'memory');
    s.appendChild(el('h3', '', label));
    if (!items.length) {
      s.appendChild(el('p', 'muted', empty));
      return s;
    }
    const ul = el('ul');
    for (const it of items) {
      const li = el('li');
      const a = el('a', '', it.title);
      a.href = '#';
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        vscode.postMessage({ type: 'openMemory', id: it.id });
      });
      li.appendChild(a);
      if (it.outcome) li.appendChild(el('span', 'meta', ` ${it.outcome}${it.merged ? ', merged' : ''}`));
      if (typeof it.score === 'number') li.appendChild(el('span', 'meta', ` ${it.score.toFixed(3)}`));
      ul.appendChild(li);
    }
    s.appendChild(ul);
    return s;
  }

  function renderAttempts(run) {
    const s = el('section', 'attempts');
    s.appendChild(el('h3', '', run.k > 1 ? 'Attempts' : 'Attempt'));
    const grid = el('div', 'grid');
    for (const a of run.attempts) {
      const card = el('div', 'card' + (run.chosen === a.index && run.phase !== 'running' ? ' chosen' : ''));
      const top = el('div', 'title');
      top.appendChild(el('span', '', `#${a.index + 1}`));
      top.appendChild(el('span', badgeFor[a.status] || 'badge', a.status));
      if (run.chosen === a.index && run.phase !== 'running') top.appendChild(el('span', 'badge ok', 'chosen'));
      card.appendChild(top);
      card.appendChild(el('div', 'meta', `${a.steps} steps${a.tests ? ' · tests ' + a.tests : ''}`));
      if (a.verdict) card.appendChild(el('div', 'verdict', a.verdict));
      if (a.hasPatch && !run.discarded && run.phase !== 'running') {
        const row = el('div', 'actions');
        row.appendChild(button('Review diff', { type: 'review', attempt: a.index }, 'small'));
        if (!run.applied) row.appendChild(button('Apply', { type: 'apply', attempt: a.index }, 'small secondary'));
        card.appendChild(row);
      }
      grid.appendChild(card);
    }
    if (!run.attempts.length) grid.appendChild(el('p', 'muted', 'preparing worktrees…'));
    s.appendChild(grid);
    return s;
  }

  function renderEvent(e, multi) {
    const who = multi && typeof e.attempt === 'number' ? `#${e.attempt + 1} ` : '';
    switch (e.type) {
      case 'tool-call': {
        let args = e.args;
        try {
          args = JSON.stringify(JSON.parse(e.args), null, 1);
        } catch (_) {
          /* shown as sent */
        }
        return details(`${who}${e.step}. ${e.name}`, pre(args), false);
      }
      case 'tool-result':
        return details(`${who}${e.isError ? '✗' : '→'} ${e.name} output`, pre(e.output), false);
      case 'assistant':
        return el('div', 'thought', `${who}${e.text}`);
      case 'tests': {
        const r = e.result;
        const sum = `${who}tests (${e.phase}): ${r.timedOut ? 'timed out' : 'exit ' + r.exitCode}${r.passed !== null ? ', ' + r.passed + ' passed' : ''}${r.failed !== null ? ', ' + r.failed + ' failed' : ''}`;
        return details(sum, pre(r.output), false);
      }
      case 'verdict':
        return el('div', e.verdict.success ? 'verdict ok' : 'verdict bad', `${who}verdict: ${e.verdict.success ? 'success' : 'failure'} (${e.verdict.decidedBy}) — ${e.verdict.reason}`);
      case 'refine':
        return el('div', 'meta', `${who}refine round ${e.round}`);
      case 'attempt-start':
        return el('div', 'meta', `${who}attempt started in ${e.worktree}`);
      case 'attempt-end':
        return el('div', 'meta', `${who}attempt ended: ${e.status} after ${e.steps} steps`);
      case 'selection':
        return el('div', 'verdict', `chose attempt #${e.chosen + 1}: ${e.reason}`);
      case 'log':
        return el('div', 'log ' + e.level, `${e.level}: ${e.message}`);
      default:
        return null;
    }
  }

  function renderSteps(run) {
    const s = el('section', 'steps');
    s.appendChild(el('h3', '', 'Steps'));
    const multi = run.k > 1;
    for (const e of run.events) {
      const node = renderEvent(e, multi);
      if (node) s.appendChild(node);
    }
    return s;
  }

  function render(run) {
    root.textContent = '';
    if (!run) {
      root.appendChild(el('p', 'empty', 'No run yet. Run "ReasoningBank: Solve with memory" or "Scale ×k…".'));
      return;
    }
    root.appendChild(renderHeader(run));
    root.appendChild(renderMemory('Lessons retrieved', run.retrieved, 'none (an empty bank, or nothing relevant)'));
    root.appendChild(renderAttempts(run));
    if (run.phase !== 'running') root.appendChild(renderMemory('Lessons added', run.added, 'none'));
    root.appendChild(renderSteps(run));
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m && m.type === 'state') render(m.state);
  });
  vscode.postMessage({ type: 'ready' });
})();
