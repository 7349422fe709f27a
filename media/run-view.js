// The run view's page: renders the state the extension posts (see src/extension/run-view.ts) and sends
// button clicks back. Built with DOM calls and textContent only: tool output is untrusted text.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  // the attempt whose timeline the Steps section shows (×k); kept across repaints and reloads
  let selected = (vscode.getState() || {}).selected;
  let last = { run: null, trusted: true };

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

  function restricted() {
    const s = el('section', 'restricted');
    s.appendChild(el('b', '', 'Restricted Mode. '));
    s.appendChild(el('span', '', 'Solve, Scale ×k and Apply are off until you trust this workspace: the agent would run commands in it. The memory bank can still be browsed.'));
    const row = el('div', 'actions');
    row.appendChild(button('Manage Workspace Trust', { type: 'manageTrust' }, 'secondary'));
    s.appendChild(row);
    return s;
  }

  function renderHeader(run) {
    const h = el('section', 'header');
    const title = el('div', 'title');
    title.appendChild(el('span', badgeFor[run.phase] || 'badge', run.phase));
    const mode = run.k > 1 ? ` · ×${run.k} ${run.mode}` : '';
    title.appendChild(el('span', 'meta', `${run.runId || 'starting…'}${mode}`));
    h.appendChild(title);
    const facts = [];
    if (run.sandbox) {
      facts.push(run.sandbox.kind === 'none'
        ? 'Unsandboxed: commands run unconfined, each one asked first'
        : `sandboxed (${run.sandbox.kind === 'bwrap' ? 'bubblewrap' : run.sandbox.kind}), network ${run.sandbox.network}`);
    }
    if (run.testCommand) facts.push(`test command "${run.testCommand}" runs on its own before and after each attempt`);
    for (const f of facts) h.appendChild(el('div', 'meta fact', f));
    h.appendChild(el('div', 'issue', run.issue.length > 400 ? run.issue.slice(0, 400) + '…' : run.issue));
    if (run.error) h.appendChild(el('div', 'error', run.error));
    if (run.k > 1 && run.phase !== 'running' && run.chosen !== undefined && run.chosenReason) {
      h.appendChild(el('div', 'why', `Kept attempt #${run.chosen + 1}: ${run.chosenReason}`));
    }
    const actions = el('div', 'actions');
    if (run.phase === 'running') actions.appendChild(button('Cancel', { type: 'cancel' }, 'secondary'));
    const chosen = run.attempts.find((a) => a.index === (run.chosen ?? 0));
    if (run.phase !== 'running' && chosen && chosen.hasPatch && !run.discarded) {
      actions.appendChild(button('Review diff', { type: 'review', attempt: chosen.index }));
      if (!run.applied) actions.appendChild(button(chosen.status === 'resolved' ? 'Apply' : 'Apply anyway…', { type: 'apply', attempt: chosen.index }));
      if (!run.applied) actions.appendChild(button('Apply part…', { type: 'applyPart', attempt: chosen.index }, 'secondary'));
      if (!run.applied) actions.appendChild(button('Discard', { type: 'discard' }, 'secondary'));
    }
    const partly = run.appliedPartially ? ' (partially)' : '';
    if (run.applied) actions.appendChild(el('span', 'badge ok', run.k > 1 ? `applied attempt #${(run.appliedAttempt ?? run.chosen ?? 0) + 1}${partly}` : `applied${partly}`));
    if (run.discarded) actions.appendChild(el('span', 'badge muted', 'discarded'));
    h.appendChild(actions);
    return h;
  }

  // retrieved lessons are listed most relevant first; their raw scores mean nothing to a reader
  function renderMemory(label, items, empty, ordered) {
    const s = el('section', 'memory');
    s.appendChild(el('h3', '', label));
    if (!items.length) {
      s.appendChild(el('p', 'muted', empty));
      return s;
    }
    const ul = el(ordered ? 'ol' : 'ul');
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
      ul.appendChild(li);
    }
    s.appendChild(ul);
    return s;
  }

  function selectedAttempt(run) {
    if (run.attempts.some((a) => a.index === selected)) return selected;
    return run.chosen !== undefined && run.phase !== 'running' ? run.chosen : run.attempts.length ? run.attempts[0].index : undefined;
  }

  function renderAttempts(run) {
    const s = el('section', 'attempts');
    const multi = run.k > 1;
    s.appendChild(el('h3', '', multi ? 'Attempts' : 'Attempt'));
    if (multi && run.attempts.length) s.appendChild(el('p', 'muted hint', 'Select an attempt to see its steps.'));
    const grid = el('div', 'grid');
    const current = selectedAttempt(run);
    const done = run.phase !== 'running';
    for (const a of run.attempts) {
      const isChosen = done && run.chosen === a.index;
      const isApplied = run.applied && run.appliedAttempt === a.index;
      const card = el('div', 'card' + (isChosen ? ' chosen' : '') + (multi && current === a.index ? ' selected' : ''));
      card.dataset.attempt = String(a.index);
      if (multi) {
        card.tabIndex = 0;
        card.setAttribute('role', 'button');
        card.setAttribute('aria-pressed', String(current === a.index));
        const pick = () => {
          selected = a.index;
          vscode.setState({ selected });
          render(last.run, last.trusted);
        };
        card.addEventListener('click', (ev) => {
          if (ev.target instanceof HTMLButtonElement || ev.target instanceof HTMLAnchorElement) return;
          pick();
        });
        card.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            pick();
          }
        });
      }
      const top = el('div', 'title');
      top.appendChild(el('span', '', `#${a.index + 1}`));
      top.appendChild(el('span', badgeFor[a.status] || 'badge', a.status));
      if (isChosen) top.appendChild(el('span', 'badge ok', 'chosen'));
      if (isApplied) top.appendChild(el('span', 'badge ok', run.appliedPartially ? 'applied (partially)' : 'applied'));
      card.appendChild(top);
      const meta = el('div', 'meta', `${a.steps} step${a.steps === 1 ? '' : 's'}${a.tests ? ' · tests ' + a.tests : ''}${a.hasPatch ? '' : done || a.status !== 'running' ? ' · no changes' : ''}`);
      if (a.hasTestOutput) {
        meta.appendChild(document.createTextNode(' · '));
        const link = el('a', 'test-output', 'Test output');
        link.href = '#';
        link.title = 'the output of this attempt\'s test run, from the run record';
        link.addEventListener('click', (ev) => {
          ev.preventDefault();
          vscode.postMessage({ type: 'testOutput', attempt: a.index });
        });
        meta.appendChild(link);
      }
      card.appendChild(meta);
      if (isChosen && multi && run.chosenReason) card.appendChild(el('div', 'why', `Chosen: ${run.chosenReason}`));
      if (a.verdict) card.appendChild(el('div', 'verdict', a.verdict));
      if (a.hasPatch && !run.discarded && done) {
        const row = el('div', 'actions');
        row.appendChild(button('Review diff', { type: 'review', attempt: a.index }, 'small'));
        if (!run.applied) row.appendChild(button(a.status === 'resolved' ? 'Apply' : 'Apply anyway…', { type: 'apply', attempt: a.index }, 'small secondary'));
        if (!run.applied) row.appendChild(button('Apply part…', { type: 'applyPart', attempt: a.index }, 'small secondary'));
        card.appendChild(row);
      }
      grid.appendChild(card);
    }
    if (!run.attempts.length) grid.appendChild(el('p', 'muted', 'preparing worktrees…'));
    s.appendChild(grid);
    return s;
  }

  function renderEvent(e) {
    switch (e.type) {
      case 'tool-call': {
        let args = e.args;
        try {
          args = JSON.stringify(JSON.parse(e.args), null, 1);
        } catch (_) {
          /* shown as sent */
        }
        return details(`${e.step}. ${e.name}`, pre(args), false);
      }
      case 'tool-result':
        return details(`${e.isError ? '✗' : '→'} ${e.name} output`, pre(e.output), false);
      case 'assistant':
        return el('div', 'thought', `${e.text}`);
      case 'tests': {
        const r = e.result;
        const when = e.phase === 'baseline' ? 'before the attempt' : 'after the attempt';
        const sum = `tests ${when}, run by ReasoningBank: ${r.timedOut ? 'timed out' : 'exit ' + r.exitCode}${r.passed !== null ? ', ' + r.passed + ' passed' : ''}${r.failed !== null ? ', ' + r.failed + ' failed' : ''}`;
        return details(sum, pre(r.output), false);
      }
      case 'verdict':
        return el('div', e.verdict.success ? 'verdict ok' : 'verdict bad', `verdict: ${e.verdict.success ? 'success' : 'failure'} (${e.verdict.decidedBy}) — ${e.verdict.reason}`);
      case 'refine':
        return el('div', 'meta', `refine round ${e.round}`);
      case 'attempt-start':
        return el('div', 'meta', `attempt started in ${e.worktree}`);
      case 'attempt-end':
        return el('div', 'meta', `attempt ended: ${e.status} after ${e.steps} steps`);
      case 'selection':
        return el('div', 'verdict', `chose attempt #${e.chosen + 1}: ${e.reason}`);
      case 'log':
        return el('div', 'log ' + e.level, `${e.level}: ${e.message}`);
      default:
        return null;
    }
  }

  // ×k: only the selected attempt's own events, plus the run's (selection, lessons, logs)
  function renderSteps(run) {
    const s = el('section', 'steps');
    const multi = run.k > 1;
    const only = multi ? selectedAttempt(run) : undefined;
    s.appendChild(el('h3', '', only !== undefined ? `Steps of attempt #${only + 1}` : 'Steps'));
    s.dataset.attempt = only !== undefined ? String(only) : '';
    for (const e of run.events) {
      if (only !== undefined && typeof e.attempt === 'number' && e.attempt !== only) continue;
      const node = renderEvent(e);
      if (!node) continue;
      if (typeof e.attempt === 'number') node.dataset.attempt = String(e.attempt);
      s.appendChild(node);
    }
    return s;
  }

  function render(run, trusted) {
    last = { run, trusted };
    root.textContent = '';
    if (!trusted) root.appendChild(restricted());
    if (!run) {
      root.appendChild(el('p', 'empty', 'No run yet. Run "ReasoningBank: Solve with memory" or "Scale ×k…".'));
      return;
    }
    root.appendChild(renderHeader(run));
    const noneRetrieved = run.unmatchedLessons
      ? `none matched the task's words; the agent was told it may recall one of the ${run.unmatchedLessons} in the bank`
      : 'none (an empty bank, or nothing relevant)';
    root.appendChild(renderMemory('Lessons retrieved', run.retrieved, noneRetrieved, true));
    root.appendChild(renderAttempts(run));
    if (run.phase !== 'running') root.appendChild(renderMemory('Lessons added', run.added, 'none'));
    root.appendChild(renderSteps(run));
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m && m.type === 'state') render(m.state, m.trusted !== false);
  });
  vscode.postMessage({ type: 'ready' });
})();
