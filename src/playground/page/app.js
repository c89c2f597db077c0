// The playground page: a small chat client for the bot running behind the built-in Bot API.
// Keyboard and screen-reader first: every control is a real button or labelled field, new bot
// messages are announced, and after a button press the focus moves to the bot's answer.
import { TEXTS, CITIES } from './i18n.js';
import { drawMap } from './map.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

const state = {
  personas: [],
  staffChatId: 0,
  persona: null,
  /** 'private' (the persona's chat with the bot) or 'group' (the staff group). */
  view: 'private',
  /** Group view: the topic shown, or null for all. */
  topic: null,
  chat: null,
  /** Rendered <li> by message id, with the JSON they were drawn from. */
  rendered: new Map(),
  /** Highest message id seen per chat, to tell new messages from old ones. */
  seen: new Map(),
  /** Set by a button press, contact or location: the next bot answer gets the focus. */
  focusNext: false,
  refreshing: null,
  again: false,
};

const t = () => TEXTS[state.persona?.languageCode] ?? TEXTS.en;
const chatId = () => (state.view === 'group' ? state.staffChatId : state.persona.userId);
const personaLabel = (p) => `${p.firstName} — ${t().role[p.role]}, ${t().language[p.languageCode]}`;

async function api(path, body) {
  const res = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

// ---------------------------------------------------------------------------------------------
// Page chrome

function applyTexts() {
  const tx = t();
  document.documentElement.lang = state.persona?.languageCode ?? 'en';
  document.title = tx.title;
  $('title').textContent = tx.title;
  $('intro').textContent = tx.intro;
  $('skip').textContent = tx.skip;
  $('people-heading').textContent = tx.people;
  $('topics-heading').textContent = tx.topics;
  $('keyboard-heading').textContent = tx.keyboard;
  $('composer-label').textContent = tx.message;
  $('composer-send').textContent = tx.send;
  $('location-heading').textContent = tx.shareLocation;
  $('location-hint').textContent = tx.locationHint;
  $('cities-heading').textContent = tx.cities;
  $('lat-label').textContent = tx.latitude;
  $('lon-label').textContent = tx.longitude;
  $('coords-send').textContent = tx.sendLocation;
  $('coords-cancel').textContent = tx.cancel;
  $('empty').textContent = tx.empty;
  $('chat-heading').textContent = state.view === 'group' ? tx.groupChat(state.persona.firstName) : tx.chatWith(state.persona.firstName);
  renderPersonas();
  renderLocationPicker();
}

function renderPersonas() {
  const tx = t();
  const buttons = state.personas.map((p) =>
    el(
      'button',
      {
        type: 'button',
        'aria-pressed': String(state.view === 'private' && state.persona.key === p.key),
        'data-persona': p.key,
        lang: p.languageCode,
        onclick: () => choose(p.key, 'private'),
      },
      el('span', { text: p.firstName }),
      el('span', { class: 'role', text: `${tx.role[p.role]}, ${tx.language[p.languageCode]}` }),
    ),
  );
  buttons.push(
    el(
      'button',
      { type: 'button', 'aria-pressed': String(state.view === 'group'), 'data-persona': 'group', onclick: () => choose(staffPersona().key, 'group') },
      el('span', { text: tx.group }),
      el('span', { class: 'role', text: tx.groupRole }),
    ),
  );
  const focused = document.activeElement?.dataset?.persona;
  $('personas').replaceChildren(...buttons);
  if (focused) $('personas').querySelector(`[data-persona="${focused}"]`)?.focus();
}

const staffPersona = () => state.personas.find((p) => p.role === 'staff') ?? state.personas[0];

function choose(key, view) {
  state.persona = state.personas.find((p) => p.key === key) ?? state.personas[0];
  state.view = view;
  state.topic = null;
  state.rendered.clear();
  $('log').replaceChildren();
  closeLocation(false);
  history.replaceState(null, '', `#${view === 'group' ? 'group' : state.persona.key}`);
  applyTexts();
  announce(t().nowAs(view === 'group' ? t().group : personaLabel(state.persona)));
  void refresh();
}

function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  // A fresh node each time makes screen readers speak repeated texts too.
  requestAnimationFrame(() => a.append(el('p', { text })));
}

let toastTimer;
function toast(text, alert) {
  const box = $('toast');
  box.textContent = text;
  box.className = alert ? 'toast alert' : 'toast';
  box.setAttribute('role', alert ? 'alert' : 'status');
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), alert ? 8000 : 4000);
}

// ---------------------------------------------------------------------------------------------
// The chat

async function refresh() {
  // One fetch at a time; events that arrive meanwhile cause one more.
  if (state.refreshing) {
    state.again = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    do {
      state.again = false;
      const query = state.view === 'group' ? 'chat=group' : `persona=${encodeURIComponent(state.persona.key)}`;
      const wanted = chatId();
      const chat = await api(`/api/chat?${query}`);
      if (chat.chatId === chatId() && wanted === chatId()) render(chat);
    } while (state.again);
  })().finally(() => (state.refreshing = null));
  return state.refreshing;
}

function topicName(id) {
  if (id === undefined || id === 1) return t().general;
  return state.chat?.topics.find((x) => x.threadId === id)?.name ?? String(id);
}

function messageNode(m) {
  const tx = t();
  const who = m.from === 'bot' ? tx.bot : state.view === 'group' && m.senderName ? m.senderName : tx.you;
  const li = el('li', { class: `msg ${m.from}`, tabindex: '-1', id: `m-${m.id}`, 'data-id': String(m.id) });
  const heading = state.view === 'group' && m.threadId !== undefined && state.topic === null ? `${who} · ${tx.inTopic(topicName(m.threadId))}` : who;
  li.append(el('p', { class: 'who', text: `${heading}:` }));
  if (m.text !== undefined && m.text !== '') li.append(el('p', { class: 'text', text: m.text }));
  if (m.contact) li.append(el('p', { class: 'text', text: tx.phoneShared(m.contact) }));
  if (m.location && m.from === 'user') li.append(el('p', { class: 'text', text: tx.locationShared(m.location.latitude, m.location.longitude) }));
  if (m.location && m.from === 'bot') li.append(el('p', { class: 'meta', text: tx.coordinates(m.location.latitude, m.location.longitude) }));
  if (m.other) li.append(el('p', { class: 'text', text: `[${tx.other[m.other] ?? m.other}]` }));
  if (m.photo) li.append(el('p', { class: 'meta', text: `[${tx.photo}]` }));
  if (m.venue) {
    li.append(
      el(
        'div',
        { class: 'venue' },
        el('p', {}, el('span', { class: 'visually-hidden', text: `${tx.venue}: ` }), el('strong', { text: m.venue.title })),
        el('p', { text: m.venue.address }),
        el('p', { class: 'meta', text: tx.coordinates(m.venue.latitude, m.venue.longitude) }),
      ),
    );
  }
  if (m.document) {
    const query = state.view === 'group' ? 'chat=group' : `persona=${encodeURIComponent(state.persona.key)}`;
    li.append(el('p', {}, el('a', { href: `/api/file?${query}&message=${m.id}`, download: m.document.filename, text: tx.download(m.document.filename) })));
  }
  if (m.buttons?.length) {
    const group = el('div', { class: 'inline-kb', role: 'group', 'aria-label': tx.buttons });
    for (const row of m.buttons) {
      group.append(
        el('div', { class: 'row' }, ...row.map((b) => el('button', { type: 'button', 'data-data': b.data, onclick: () => press(m.id, b.data) }, b.text))),
      );
    }
    li.append(group);
  }
  if (m.edited) li.append(el('p', { class: 'meta', text: tx.edited }));
  return li;
}

function render(chat) {
  const previous = state.chat;
  state.chat = chat;
  const log = $('log');
  const key = String(chat.chatId);
  const seenBefore = state.seen.get(key) ?? 0;
  const firstRender = previous?.chatId !== chat.chatId || state.rendered.size === 0;
  const focusedId = document.activeElement?.closest?.('.msg')?.dataset.id;

  const shown = chat.messages.filter((m) => state.view !== 'group' || state.topic === null || (m.threadId ?? 1) === state.topic);
  const keep = new Set();
  const wanted = [];
  const fresh = [];
  for (const m of shown) {
    const json = JSON.stringify(m);
    const old = state.rendered.get(m.id);
    let node = old?.node;
    if (!old || old.json !== json) {
      node = messageNode(m);
      state.rendered.set(m.id, { node, json });
      if (m.from === 'bot') fresh.push({ m, node, isNew: !old && m.id > seenBefore });
    }
    keep.add(m.id);
    wanted.push(node);
  }
  // Drop what is gone or redrawn, then insert the new nodes in place: unchanged messages are
  // never moved, so a focused button in them keeps the focus.
  const wantedSet = new Set(wanted);
  for (const child of [...log.children]) if (!wantedSet.has(child)) child.remove();
  wanted.forEach((node, i) => {
    const current = log.children[i];
    if (current !== node) log.insertBefore(node, current ?? null);
  });
  for (const id of [...state.rendered.keys()]) if (!keep.has(id)) state.rendered.delete(id);
  const maxId = chat.messages.reduce((max, m) => Math.max(max, m.id), 0);
  state.seen.set(key, Math.max(seenBefore, maxId));
  $('empty').hidden = shown.length > 0;

  renderKeyboard(chat.keyboard);
  renderTopics(chat.topics);

  if (firstRender) return;
  const newOnes = fresh.filter((f) => f.isNew);
  const changed = fresh.filter((f) => !f.isNew);
  for (const f of newOnes) announce(`${t().bot}: ${f.m.text ?? f.m.venue?.title ?? f.m.document?.filename ?? ''}`);
  if (newOnes.length === 0 && changed.length > 0) announce(`${t().bot}: ${changed[changed.length - 1].m.text ?? ''}`);
  // Focus: the answer to a press; or, when the focused button vanished in an edit, its message.
  const target = state.focusNext ? (newOnes[0] ?? changed[0]) : undefined;
  if (target) {
    state.focusNext = false;
    target.node.focus();
    target.node.scrollIntoView({ block: 'nearest' });
  } else if (focusedId && !document.activeElement?.closest?.('.msg')) {
    state.rendered.get(Number(focusedId))?.node.focus();
  } else if (newOnes.length > 0) {
    newOnes[newOnes.length - 1].node.scrollIntoView({ block: 'nearest' });
  }
}

function renderKeyboard(keyboard) {
  const box = $('keyboard');
  const rows = $('keyboard-rows');
  const focusedText = box.contains(document.activeElement) ? document.activeElement.textContent : null;
  if (!keyboard) {
    box.hidden = true;
    rows.replaceChildren();
    return;
  }
  rows.replaceChildren(
    ...keyboard.map((row) =>
      el(
        'div',
        { class: 'row' },
        ...row.map((b) =>
          el('button', { type: 'button', 'data-request': b.request ?? 'text', onclick: () => keyboardPress(b) }, b.text),
        ),
      ),
    ),
  );
  box.hidden = false;
  if (focusedText) [...rows.querySelectorAll('button')].find((b) => b.textContent === focusedText)?.focus();
}

function renderTopics(topics) {
  const box = $('topics');
  if (state.view !== 'group') {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const tx = t();
  const choices = [{ id: null, name: tx.allTopics }, { id: 1, name: tx.general }, ...topics.map((x) => ({ id: x.threadId, name: x.closed ? `${x.name} (${tx.closed})` : x.name }))];
  const focused = box.contains(document.activeElement) ? document.activeElement.dataset.topic : null;
  $('topic-buttons').replaceChildren(
    ...choices.map((c) =>
      el('button', {
        type: 'button',
        'data-topic': String(c.id),
        'aria-pressed': String(state.topic === c.id),
        onclick: () => {
          state.topic = c.id;
          state.rendered.clear();
          $('log').replaceChildren();
          if (state.chat) render(state.chat);
        },
      }, c.name),
    ),
  );
  if (focused) box.querySelector(`[data-topic="${focused}"]`)?.focus();
}

// ---------------------------------------------------------------------------------------------
// Acting

// Sends go out one after another, so quick typing reaches the bot in the order it was typed.
let sendChain = Promise.resolve();
function act(action, moveFocus) {
  state.focusNext = moveFocus;
  const body = {
    persona: state.persona.key,
    chat: state.view,
    ...(state.view === 'group' && state.topic !== null && state.topic !== 1 ? { threadId: state.topic } : {}),
    action,
  };
  sendChain = sendChain.then(() =>
    api('/api/send', body).catch((error) => {
      state.focusNext = false;
      toast(t().failed(error.message), true);
    }),
  );
  return sendChain;
}

function press(messageId, data) {
  void act({ type: 'callback', messageId, data }, true);
}

function keyboardPress(button) {
  if (button.request === 'contact') return void act({ type: 'contact' }, true);
  if (button.request === 'location') return openLocation();
  void act({ type: 'text', text: button.text }, true);
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  // Typing keeps the focus in the box, so several answers can be typed in a row; the bot's
  // answers are announced meanwhile.
  void act({ type: 'text', text }, false);
});

// ---------------------------------------------------------------------------------------------
// Sharing a location

let markPoint = () => undefined;
function renderLocationPicker() {
  const lang = state.persona?.languageCode ?? 'en';
  markPoint = drawMap($('map-holder'), t().map, CITIES, (c) => c[lang], (lat, lon) => {
    $('lat').value = String(lat);
    $('lon').value = String(lon);
    markPoint(lat, lon);
  });
  $('cities').replaceChildren(
    ...CITIES.map((c) => el('button', { type: 'button', onclick: () => sendLocation(c.lat, c.lon) }, c[lang])),
  );
}

function openLocation() {
  $('location-panel').hidden = false;
  $('coords-error').textContent = '';
  $('location-heading').focus({ preventScroll: true });
  $('location-panel').scrollIntoView({ block: 'start' });
}

function closeLocation(restoreFocus) {
  $('location-panel').hidden = true;
  if (restoreFocus) $('keyboard-rows').querySelector('[data-request="location"]')?.focus() ?? $('composer-input').focus();
}

function sendLocation(lat, lon) {
  closeLocation(false);
  void act({ type: 'location', latitude: lat, longitude: lon }, true);
}

$('coords-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const lat = Number($('lat').value.replace(',', '.'));
  const lon = Number($('lon').value.replace(',', '.'));
  const ok = $('lat').value.trim() !== '' && $('lon').value.trim() !== '' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  if (!ok || Number.isNaN(lat) || Number.isNaN(lon)) {
    $('coords-error').textContent = t().badCoords;
    $('lat').setAttribute('aria-invalid', 'true');
    $('lat').focus();
    return;
  }
  $('lat').removeAttribute('aria-invalid');
  sendLocation(lat, lon);
});
$('coords-cancel').addEventListener('click', () => closeLocation(true));
$('location-panel').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeLocation(true);
});

// ---------------------------------------------------------------------------------------------
// Start

function listen() {
  const source = new EventSource('/api/events');
  source.onmessage = (event) => {
    const e = JSON.parse(event.data);
    if (!state.persona || String(e.chatId) !== String(chatId())) return;
    if (e.type === 'toast') toast(e.text, e.showAlert);
    else void refresh();
  };
  source.onerror = () => toast(t().offline, false);
  source.onopen = () => void refresh();
}

async function start() {
  const data = await api('/api/personas');
  state.personas = data.personas;
  state.staffChatId = data.staffChatId;
  const wanted = location.hash.slice(1);
  if (wanted === 'group') choose(staffPersona().key, 'group');
  else choose(state.personas.some((p) => p.key === wanted) ? wanted : 'citizen-en', 'private');
  listen();
  document.body.dataset.ready = 'true';
}

void start();
