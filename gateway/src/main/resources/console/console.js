// seckill operator console: sign in with an admin token, create a sale, watch one sale live.
//
// The token is kept in this tab's sessionStorage and only ever sent in the Authorization header;
// it never goes into a URL. Every figure and message on the page comes from the admin API as it
// answered (the page validates nothing itself), and is written with textContent, never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'seckill.console.token';
  const SALE_KEY = 'seckill.console.sale';
  const SALE_POLL_MS = 1000;
  const DEAD_LETTER_POLL_MS = 3000;
  const DEAD_LETTERS_SHOWN = 20;

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY);
  let watched = null;
  let saleTimer = null;
  let deadLetterTimer = null;
  let deadLetters = [];
  let deadLetterCursor = 0;

  /** One call of the admin API: {status, body}; a failed connection is status 0. */
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json, application/problem+json' };
    if (token) headers['Authorization'] = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error',
        referrerPolicy: 'no-referrer', body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      return { status: 0, body: { detail: 'the gateway did not answer (' + e.message + ')' } };
    }
    let parsed = {};
    try { parsed = await response.json(); } catch (e) { parsed = {}; }
    return { status: response.status, body: parsed };
  }

  /** The API's own words for a refusal: its problem+json detail, and field errors if it lists any. */
  function problemText(answer) {
    const b = answer.body || {};
    const parts = [];
    if (answer.status) parts.push(answer.status + (b.code ? ' ' + b.code : ''));
    parts.push(b.detail || b.title || 'unexpected answer');
    const fields = b.errors || b.invalidParams || b['invalid-params'];
    if (Array.isArray(fields)) {
      for (const f of fields) parts.push((f.name || f.field || '') + ': ' + (f.reason || f.detail || f.message || ''));
    }
    return parts.join(' · ');
  }

  function show(el, text, kind) {
    el.textContent = text;
    el.className = kind || 'problem';
    el.hidden = false;
  }

  // ------------------------------------------------------------------------------------------
  // sign in / out

  async function signIn(event) {
    event.preventDefault();
    const candidate = $('token').value.trim();
    if (!candidate) {
      show($('sign-in-error'), 'paste an admin token first');
      return;
    }
    token = candidate;
    const answer = await api('GET', '/admin/dead-letters?limit=1');
    if (answer.status !== 200) {
      token = null;
      show($('sign-in-error'), 'Refused: ' + problemText(answer));
      return;
    }
    $('token').value = '';
    sessionStorage.setItem(TOKEN_KEY, token);
    enter();
  }

  function signOut(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    stopWatching();
    clearInterval(deadLetterTimer);
    deadLetterTimer = null;
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in-panel').hidden = false;
    if (message) show($('sign-in-error'), message); else $('sign-in-error').hidden = true;
  }

  function enter() {
    $('sign-in-panel').hidden = true;
    $('sign-in-error').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    prefillSale();
    deadLetters = [];
    deadLetterCursor = 0;
    pollDeadLetters();
    deadLetterTimer = setInterval(pollDeadLetters, DEAD_LETTER_POLL_MS);
    const last = sessionStorage.getItem(SALE_KEY);
    if (last) watch(last);
  }

  /** A 401 mid-session: the token expired or was replaced; back to the sign-in form. */
  function checkSession(answer) {
    if (answer.status === 401) {
      signOut('Signed out: ' + problemText(answer));
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // create a sale

  function isoSeconds(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function prefillSale() {
    const now = new Date();
    if (!$('sale-starts').value) $('sale-starts').value = isoSeconds(now);
    if (!$('sale-ends').value) $('sale-ends').value = isoSeconds(new Date(now.getTime() + 3600 * 1000));
  }

  /** What the operator typed; a whole number goes as a JSON number, anything else as typed. */
  function valueOf(input) {
    const text = input.value.trim();
    if (input.inputMode === 'numeric' && /^-?\d{1,15}$/.test(text)) return Number(text);
    return text;
  }

  async function createSale(event) {
    event.preventDefault();
    const form = $('create-sale');
    const sale = {};
    for (const input of form.querySelectorAll('input[data-name]')) {
      input.removeAttribute('aria-invalid');
      sale[input.dataset.name] = valueOf(input);
    }
    $('create-button').disabled = true;
    const answer = await api('POST', '/admin/sales', sale);
    $('create-button').disabled = false;
    if (!checkSession(answer)) return;
    if (answer.status === 201) {
      show($('create-result'), 'Created sale ' + answer.body.id + ' (' + answer.body.stock + ' units): watching it.', 'ok');
      $('watch-id').value = answer.body.id;
      watch(answer.body.id);
      return;
    }
    show($('create-result'), problemText(answer));
    // the API names the field it refused in quotes ('stock' must be ...): point at it
    const named = /'([A-Za-z]+)'/.exec((answer.body && answer.body.detail) || '');
    const input = named && form.querySelector('input[data-name="' + named[1] + '"]');
    if (input) input.setAttribute('aria-invalid', 'true');
  }

  // ------------------------------------------------------------------------------------------
  // watch one sale

  function stopWatching() {
    clearTimeout(saleTimer);
    saleTimer = null;
    watched = null;
  }

  function watch(saleId) {
    stopWatching();
    watched = saleId;
    sessionStorage.setItem(SALE_KEY, saleId);
    $('watch-error').hidden = true;
    $('sale-view').hidden = true;
    $('sale-title').textContent = saleId;
    pollSale(saleId);
  }

  async function pollSale(saleId) {
    const answer = await api('GET', '/admin/sales/' + encodeURIComponent(saleId));
    if (watched !== saleId) return; // another sale was chosen meanwhile
    if (!checkSession(answer)) return;
    if (answer.status === 200) {
      render(answer.body);
      $('watch-error').hidden = true;
    } else {
      show($('watch-error'), 'Sale ' + saleId + ': ' + problemText(answer));
      if (answer.status === 404 || answer.status === 400 || answer.status === 403) {
        $('sale-view').hidden = true;
      }
    }
    saleTimer = setTimeout(() => pollSale(saleId), SALE_POLL_MS);
  }

  function fieldValue(sale, path) {
    return path.split('.').reduce((v, key) => (v === null || v === undefined ? v : v[key]), sale);
  }

  function format(value) {
    if (value === null || value === undefined) return '–';
    if (typeof value === 'number') {
      return Number.isInteger(value) ? value.toLocaleString('en') : value.toLocaleString('en', { maximumFractionDigits: 1 });
    }
    return String(value);
  }

  function render(sale) {
    $('sale-view').hidden = false;
    $('sale-title').textContent = sale.id + ' · ' + sale.item;
    $('sale-window').textContent = sale.startsAt + ' → ' + sale.endsAt + ' · payment window ' + sale.paymentWindow
      + ' · limit ' + sale.perUserLimit + ' per buyer';
    for (const dd of document.querySelectorAll('#sale-view dd[data-field]')) {
      dd.textContent = format(fieldValue(sale, dd.dataset.field));
    }
    // the gateway's flag (it answers SOLD_OUT itself), not only Redis's count: units can come back
    const badge = $('sold-out');
    if (sale.soldOutFlag === true) {
      badge.dataset.state = 'sold-out';
      badge.textContent = 'SOLD OUT';
    } else if (sale.available === 0) {
      badge.dataset.state = 'bad';
      badge.textContent = 'no units left (flag not raised yet)';
    } else {
      badge.dataset.state = 'open';
      badge.textContent = 'selling';
    }
    const progress = $('sold-progress');
    progress.max = sale.stock || 1;
    progress.value = typeof sale.reserved === 'number' ? sale.reserved : 0;
    progress.textContent = format(sale.reserved) + ' of ' + format(sale.stock) + ' held';
    renderReconciliation(sale);
    $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString('en-GB') + ' (every second)';
  }

  /**
   * order-worker's Redis-vs-MySQL check. While a sale sells, Redis is ahead of MySQL by the orders
   * in flight, so a drift alone is no fault: as the ReconciliationInconsistent alert does, the page
   * calls it inconsistent only when MySQL disagrees with itself or the drift has not moved for
   * DRIFT_STUCK_MS (counted from when this page first saw it).
   */
  const DRIFT_STUCK_MS = 3 * 60 * 1000;
  let drift = { sale: null, value: null, since: 0 };

  function renderReconciliation(sale) {
    const rec = sale.reconciliation;
    const state = $('reconciliation-state');
    if (!rec || typeof rec.consistent !== 'boolean') {
      state.dataset.state = 'unknown';
      state.textContent = rec && rec.error ? 'not checked: ' + rec.error : 'not checked';
      return;
    }
    if (drift.sale !== sale.id || drift.value !== rec.drift) {
      drift = { sale: sale.id, value: rec.drift, since: Date.now() };
    }
    const mysqlAgrees = rec.mysqlAvailable + rec.mysqlHeldUnits === sale.stock;
    if (rec.consistent) {
      state.dataset.state = 'ok';
      state.textContent = 'consistent';
    } else if (mysqlAgrees && Date.now() - drift.since < DRIFT_STUCK_MS) {
      state.dataset.state = 'settling';
      const units = Math.abs(rec.drift);
      state.textContent = 'settling: ' + units + (units === 1 ? ' unit' : ' units') + ' not yet in MySQL';
    } else {
      state.dataset.state = 'bad';
      state.textContent = 'INCONSISTENT';
    }
  }

  // ------------------------------------------------------------------------------------------
  // dead letters: read forward from the last id seen, keep the newest

  // One poll at a time: with thousands of dead letters a poll takes several pages, and a second
  // one started by the timer meanwhile would read the same pages again and count them twice.
  let deadLetterPoll = null;

  function pollDeadLetters() {
    if (!deadLetterPoll) {
      deadLetterPoll = readDeadLetters().finally(() => { deadLetterPoll = null; });
    }
    return deadLetterPoll;
  }

  async function readDeadLetters() {
    let answer;
    do {
      answer = await api('GET', '/admin/dead-letters?limit=500&after=' + deadLetterCursor);
      if (!token) return;
      if (!checkSession(answer)) return;
      if (answer.status !== 200) {
        show($('dead-letters-error'), problemText(answer));
        return;
      }
      for (const letter of answer.body.deadLetters || []) {
        // ids only grow and the cursor moves past each page, so a letter is never added twice
        if (letter.id > deadLetterCursor) {
          deadLetters.push(letter);
          deadLetterCursor = letter.id;
        }
      }
    } while (answer.body.next !== null && answer.body.next !== undefined);
    $('dead-letters-error').hidden = true;
    renderDeadLetters();
  }

  function renderDeadLetters() {
    const count = $('dead-letter-count');
    const ofSale = watched ? deadLetters.filter((l) => (l.key || '').startsWith(watched + '.')).length : 0;
    count.textContent = deadLetters.length + (watched ? ' (' + ofSale + ' of ' + watched + ')' : '');
    count.dataset.state = deadLetters.length === 0 ? 'ok' : 'bad';
    const body = document.querySelector('#dead-letters tbody');
    const rows = deadLetters.slice(-DEAD_LETTERS_SHOWN).reverse().map((l) => {
      const tr = document.createElement('tr');
      for (const value of [l.id, l.recordedAt, l.sourceTopic, l.reason, l.key, l.detail]) {
        const td = document.createElement('td');
        td.textContent = value === null || value === undefined ? '' : String(value);
        tr.appendChild(td);
      }
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 6;
      td.textContent = 'none';
      tr.appendChild(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  }

  // ------------------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut());
    $('create-sale').addEventListener('submit', createSale);
    $('watch').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('watch-id').value.trim();
      if (id) watch(id);
    });
    if (token) enter();
  });
})();
