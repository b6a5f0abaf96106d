/**
 * Runs inside the page, in every engine: finds elements the way a person (or a
 * screen reader) does, by role and accessible name, by label, or by visible text,
 * and waits for them by watching the DOM (a MutationObserver), never by sleeping.
 *
 * One script for all engines is what lets one test file run unchanged in
 * Chromium, Firefox and WebKit: the drivers differ, the locators do not.
 * The harness sends it as the source of one function and calls it with a query:
 *
 *   { by: 'role', role: 'button', name: 'Send', state: 'enabled', uncovered: true, mark: 'k1', timeout: 5000 }
 *   { by: 'label', label: 'Email', state: 'editable', mark: 'k2', timeout: 5000 }
 *   { by: 'text', text: { regexp: 'saved', flags: 'i' }, timeout: 5000 }
 *
 * It resolves with { text, texts, count } once the query is satisfied (marking the
 * single match with data-kata-target when `mark` is set, scrolled into view, with the
 * middle of its box as x and y, so the driver can act on it with real input events;
 * with `uncovered`, only once a click there would reach it), and rejects with what it
 * saw when the time is up.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by the harness, which sends this source
function kataQuery(query) {
  const implicitRoles = {
    A: (el) => (el.hasAttribute('href') ? 'link' : null),
    BUTTON: () => 'button',
    H1: () => 'heading',
    H2: () => 'heading',
    H3: () => 'heading',
    H4: () => 'heading',
    H5: () => 'heading',
    H6: () => 'heading',
    UL: () => 'list',
    OL: () => 'list',
    LI: () => 'listitem',
    FORM: () => 'form',
    MAIN: () => 'main',
    NAV: () => 'navigation',
    OUTPUT: () => 'status',
    SELECT: () => 'combobox',
    TEXTAREA: () => 'textbox',
    TABLE: () => 'table',
    TR: () => 'row',
    TD: () => 'cell',
    TH: () => 'columnheader',
    DIALOG: () => 'dialog',
    TIME: () => 'time',
    INPUT: (el) => {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'search') return 'searchbox';
      if (type === 'number') return 'spinbutton';
      if (type === 'range') return 'slider';
      if (['text', 'email', 'tel', 'url'].includes(type)) return 'textbox';
      return null;
    },
  };
  // Roles whose accessible name comes from their content (WAI-ARIA "name from content").
  const nameFromContent = new Set(['button', 'link', 'heading', 'listitem', 'cell', 'columnheader', 'row', 'checkbox', 'radio', 'option', 'tab', 'menuitem']);

  const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const roleOf = (el) => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.split(' ')[0];
    const implicit = implicitRoles[el.tagName];
    return implicit ? implicit(el) : null;
  };
  const visible = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"]')) return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const labelledBy = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)).filter(Boolean).map((ref) => ref.textContent).join(' ');
  };
  const nameOf = (el, role) => {
    const byRef = squash(labelledBy(el));
    if (byRef) return byRef;
    const aria = squash(el.getAttribute('aria-label'));
    if (aria) return aria;
    if (el.labels && el.labels.length > 0) return squash([...el.labels].map((label) => label.textContent).join(' '));
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return squash(el.value);
    if (nameFromContent.has(role)) return squash(el.textContent);
    return squash(el.getAttribute('title'));
  };
  const matches = (pattern, value) =>
    pattern === undefined || pattern === null
      ? true
      : typeof pattern === 'string'
        ? squash(value) === squash(pattern)
        : new RegExp(pattern.regexp, pattern.flags).test(value);
  const show = (pattern) => (typeof pattern === 'string' ? JSON.stringify(pattern) : `/${pattern.regexp}/${pattern.flags}`);
  const describe = () =>
    query.by === 'role'
      ? `role=${query.role}${query.name !== undefined ? ` name=${show(query.name)}` : ''}`
      : query.by === 'label'
        ? `label=${show(query.label)}`
        : `text ${show(query.text)}`;
  const textOf = (el) => squash(el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' ? el.value : el.innerText || el.textContent);

  const candidates = () => {
    const all = [...document.body.querySelectorAll('*')];
    if (query.by === 'role') return all.filter((el) => roleOf(el) === query.role && matches(query.name, nameOf(el, query.role)));
    if (query.by === 'label') {
      return all.filter((el) => ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && matches(query.label, nameOf(el, roleOf(el))));
    }
    return [];
  };
  const ready = (el) => {
    if (!visible(el)) return false;
    if (query.state === 'enabled' || query.state === 'editable') {
      if (el.disabled || el.closest('fieldset[disabled]') || el.getAttribute('aria-disabled') === 'true') return false;
    }
    if (query.state === 'editable' && el.readOnly) return false;
    return true;
  };

  // Returns the result when the query is satisfied, undefined to keep waiting,
  // and throws when waiting cannot help (two elements where one was meant).
  const attempt = () => {
    if (query.by === 'text') {
      const text = squash(document.body ? document.body.innerText : '');
      const found = typeof query.text === 'string' ? text.includes(squash(query.text)) : new RegExp(query.text.regexp, query.text.flags).test(text);
      return found ? { text, texts: [], count: 1 } : undefined;
    }
    const found = candidates().filter(visible);
    if (query.all) return found.length >= (query.atLeast || 0) ? { texts: found.map(textOf), count: found.length } : undefined;
    if (found.length > 1) {
      throw new Error(`${found.length} elements match ${describe()}; name the one you mean (${found.map((el) => show(nameOf(el, roleOf(el)))).join(', ')})`);
    }
    const target = found.length === 1 ? found[0] : undefined;
    if (!target || !ready(target)) return undefined;
    const point = query.mark ? pointOn(target) : undefined;
    if (query.uncovered && point && !point.reached) return undefined;
    if (query.mark) target.setAttribute('data-kata-target', query.mark);
    return { text: textOf(target), texts: [textOf(target)], count: 1, tag: target.tagName.toLowerCase(), type: target.type || null, x: point?.x, y: point?.y };
  };

  // The middle of the element's box, scrolled into view first if it is not all in view,
  // and whether a click there reaches it (and not something on top of it, such as a dialog's backdrop).
  let coveredBy;
  const pointOn = (el) => {
    const inView = (r) => r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    if (!inView(el.getBoundingClientRect())) el.scrollIntoView({ block: 'center', inline: 'center' });
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    const reached = hit !== null && (hit === el || el.contains(hit));
    coveredBy = reached || !hit ? undefined : hit;
    return { x, y, reached };
  };

  const seen = () => {
    const described = [...document.body.querySelectorAll('*')]
      .map((el) => ({ el, role: roleOf(el) }))
      .filter(({ el, role }) => role && !['list', 'form', 'main', 'navigation', 'table', 'row'].includes(role) && visible(el))
      .slice(0, 15)
      .map(({ el, role }) => `${role} ${JSON.stringify(nameOf(el, role) || textOf(el)).slice(0, 60)}${el.disabled ? ' (disabled)' : ''}`);
    const hiddenMatches = candidates().filter((el) => !visible(el)).length;
    return `${hiddenMatches ? `${hiddenMatches} hidden element(s) match; ` : ''}the page shows: ${described.join('; ') || 'no element with a role'}`;
  };

  return new Promise((resolve, reject) => {
    let observer;
    let timer;
    const settle = (fn, value) => {
      if (observer) observer.disconnect();
      clearTimeout(timer);
      fn(value);
    };
    const check = () => {
      try {
        const result = attempt();
        if (result) settle(resolve, result);
      } catch (error) {
        settle(reject, error);
      }
    };
    check();
    if (query.timeout === 0) {
      settle(reject, new Error(`no element matches ${describe()}: ${seen()}`));
      return;
    }
    observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    // Input values and disabled properties change without a DOM mutation.
    document.addEventListener('input', check, true);
    timer = setTimeout(() => {
      document.removeEventListener('input', check, true);
      const state = query.state && query.state !== 'visible' ? ` and ${query.state}` : '';
      const covered = coveredBy ? `, with nothing on top of it (${coveredBy.tagName.toLowerCase()}${coveredBy.id ? `#${coveredBy.id}` : ''} covers it and would take the click)` : '';
      settle(reject, new Error(`waited ${query.timeout} ms for ${describe()} to be visible${state}${covered}: ${seen()}`));
    }, query.timeout);
  });
}
