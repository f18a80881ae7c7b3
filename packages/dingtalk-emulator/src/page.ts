/**
 * The web page at `/`: the groups in a sidebar, each group's messages as a DingTalk member sees them
 * (with a divider for each day), a box to type as a member, live updates over Server-Sent Events.
 * Below 720 px wide it shows the group list or one chat at a time, like a phone chat app.
 * Self-contained: no outside requests.
 */
import { renderMarkdown, renderPlainText } from './markdown.js';

/** Extra content for the page (the sandbox puts its controls here). */
export interface PageExtras {
  /** The page title and header text. Default `'钉钉模拟器'`. */
  title?: string;
  /** Trusted HTML placed inside `<div id="sandbox-controls">` in the header (scripts run). */
  html?: string;
}

/** The Content-Security-Policy the page is served with: nothing outside the emulator is fetched. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'";

/** The width below which the page shows the group list or one chat, not both (CSS and script agree). */
const NARROW = '(max-width: 719.98px)';

/**
 * The label of the divider above a day's first message, in Asia/Shanghai: `11月21日 星期一`, with the
 * year in front (`2021年12月31日 星期五`) when it differs from the year of `referenceMs`. The page takes
 * both from message timestamps (the emulator may run on a simulated clock), the reference being the
 * group's last message.
 *
 * @param ms - the message's `createdAt` (epoch milliseconds)
 * @param referenceMs - an instant in the year that goes without saying; default `ms` (no year)
 * @example
 * dayDividerLabel(Date.parse('2022-11-21T09:05:00+08:00')); // '11月21日 星期一'
 */
export function dayDividerLabel(ms: number, referenceMs: number = ms): string {
  // Shanghai has kept UTC+8 without daylight saving since 1991, so no time-zone database is needed.
  const day = new Date(ms + 8 * 3600000);
  const ref = new Date(referenceMs + 8 * 3600000);
  const year = day.getUTCFullYear() === ref.getUTCFullYear() ? '' : day.getUTCFullYear() + '年';
  return year + (day.getUTCMonth() + 1) + '月' + day.getUTCDate() + '日 星期' + '日一二三四五六'.charAt(day.getUTCDay());
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Builds the page's HTML. */
export function renderPage(extras: PageExtras = {}): string {
  const title = escapeHtml(extras.title ?? '钉钉模拟器');
  // Under tsx (esbuild keepNames) function sources call __name(); the browser needs it defined.
  const shared = `const __name = (fn) => fn;\nconst renderMarkdown = ${renderMarkdown.toString()};\nconst renderPlainText = ${renderPlainText.toString()};\nconst dayDividerLabel = ${dayDividerLabel.toString()};\nconst NARROW = ${JSON.stringify(NARROW)};`.replace(
    /<\/script/gi,
    '<\\/script',
  );
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo">钉</span><span class="brand-title">${title}</span></div>
  <span id="bot-status" class="pill off" title="Stream 连接">机器人离线</span>
  <div id="sandbox-controls">${extras.html ?? ''}</div>
</header>
<main id="layout" class="layout" data-view="list">
  <aside class="sidebar">
    <div class="sidebar-head">群聊 <span id="group-count" class="muted"></span></div>
    <ul id="groups" class="groups"></ul>
  </aside>
  <section class="chat">
    <div class="chat-head">
      <button id="back" class="back" type="button" aria-label="返回群列表" title="返回群列表">‹</button>
      <div class="chat-heading"><div id="chat-title" class="chat-title">选择一个群</div><div id="chat-sub" class="chat-sub muted small"></div></div>
    </div>
    <div id="messages" class="messages"><div class="empty">还没有群。用 <code>POST /_emulator/groups</code> 创建一个。</div></div>
    <form id="composer" class="composer" autocomplete="off">
      <label class="as">以
        <select id="member" aria-label="发送人"></select>
        身份发言，@机器人</label>
      <div class="compose-row">
        <textarea id="text" rows="2" placeholder="输入消息，例如：确认 4（Enter 发送，Shift+Enter 换行）"></textarea>
        <button id="send" type="submit">发送</button>
      </div>
      <div id="compose-error" class="error" role="alert"></div>
    </form>
  </section>
</main>
<script>
${shared}
${SCRIPT}
</script>
</body>
</html>`;
}

const CSS = `
:root { --blue:#1677ff; --blue-d:#0e5fd8; --bg:#f2f3f5; --line:#e5e6eb; --text:#1f2329; --muted:#8f959e; --mine:#d6e8ff; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
@supports (height: 100dvh) { body { height: 100dvh; } }
body { font: 14px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; color: var(--text); background: var(--bg); display: flex; flex-direction: column; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 8px 16px; min-height: 52px; background: var(--blue); color: #fff; flex: none; }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 600; font-size: 16px; white-space: nowrap; min-width: 0; }
.brand-title { overflow: hidden; text-overflow: ellipsis; }
.logo { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 8px; background: #fff; color: var(--blue); font-weight: 700; }
.pill { font-size: 12px; padding: 2px 10px; border-radius: 999px; background: rgba(255,255,255,.18); white-space: nowrap; }
.pill.on::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: #52c41a; margin-right: 6px; vertical-align: 1px; }
.pill.off::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: #ffccc7; margin-right: 6px; vertical-align: 1px; }
#sandbox-controls { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: 8px; min-width: 0; max-width: 100%; }
#sandbox-controls:empty { display: none; }
#sandbox-controls button { background: #fff; color: var(--blue); border: 0; border-radius: 6px; padding: 5px 12px; font: inherit; cursor: pointer; }
.layout { flex: 1; display: flex; min-height: 0; }
.sidebar { width: 280px; flex: none; background: #fff; border-right: 1px solid var(--line); display: flex; flex-direction: column; min-height: 0; }
.sidebar-head { padding: 12px 16px; font-weight: 600; border-bottom: 1px solid var(--line); }
.groups { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
.group { display: flex; gap: 10px; padding: 10px 14px; cursor: pointer; align-items: center; border-bottom: 1px solid #f5f6f7; }
.group:hover { background: #f5f7fa; }
.group.active { background: #e8f1ff; }
.g-main { flex: 1; min-width: 0; }
.g-top { display: flex; justify-content: space-between; gap: 6px; }
.g-title { font-weight: 500; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.g-time { color: var(--muted); font-size: 12px; flex: none; }
.groups-empty { color: var(--muted); padding: 24px 16px; text-align: center; font-size: 13px; }
.g-preview { color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.badge { background: #f54a45; color: #fff; border-radius: 999px; font-size: 11px; min-width: 18px; height: 18px; padding: 0 5px; display: inline-grid; place-items: center; flex: none; }
.avatar { width: 36px; height: 36px; border-radius: 8px; display: grid; place-items: center; color: #fff; font-weight: 600; flex: none; font-size: 15px; }
.avatar.bot { background: linear-gradient(135deg, #3c8cff, #1677ff); }
.chat { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.chat-head { padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 6px; min-height: 56px; flex: none; }
.chat-heading { flex: 1; min-width: 0; }
.back { display: none; }
.chat-title { font-weight: 600; font-size: 15px; }
.messages { flex: 1; overflow-y: auto; padding: 16px 20px 24px; }
.empty { color: var(--muted); text-align: center; margin-top: 80px; }
.msg { display: flex; gap: 10px; margin: 14px 0; align-items: flex-start; }
.msg.mine { flex-direction: row-reverse; }
.msg-body { max-width: min(640px, 78%); display: flex; flex-direction: column; }
.msg.mine .msg-body { align-items: flex-end; }
.meta { font-size: 12px; color: var(--muted); margin-bottom: 3px; }
.meta .tag { margin-left: 6px; padding: 0 5px; border-radius: 4px; background: #eef0f3; font-size: 11px; }
.bubble { background: #fff; border-radius: 8px; padding: 9px 12px; box-shadow: 0 1px 2px rgba(31,35,41,.06); word-break: break-word; overflow-wrap: anywhere; }
.msg.mine .bubble { background: var(--mine); }
.bubble.md { min-width: 220px; }
.bubble h1, .bubble h2, .bubble h3, .bubble h4, .bubble h5, .bubble h6 { margin: 4px 0 6px; line-height: 1.35; }
.bubble h1 { font-size: 18px; } .bubble h2 { font-size: 17px; } .bubble h3 { font-size: 16px; } .bubble h4, .bubble h5, .bubble h6 { font-size: 14px; }
.bubble p { margin: 4px 0; }
.bubble ul, .bubble ol { margin: 4px 0; padding-left: 22px; }
.bubble li.nested { margin-left: 16px; }
.bubble blockquote { margin: 6px 0; padding: 2px 10px; border-left: 3px solid #c9cdd4; color: #646a73; }
.bubble hr { border: 0; border-top: 1px solid var(--line); margin: 8px 0; }
.bubble code { background: #f2f3f5; border-radius: 4px; padding: 0 4px; font-family: ui-monospace, Menlo, monospace; font-size: 13px; }
.bubble a { color: var(--blue); text-decoration: none; }
.bubble a:hover { text-decoration: underline; }
.mention { color: var(--blue); font-weight: 500; }
.card { padding: 0; overflow: hidden; min-width: 280px; }
.card .card-title { padding: 10px 12px 0; font-weight: 600; }
.card .card-text { padding: 4px 12px 10px; }
.card .card-title + .card-text { padding-top: 4px; }
.card > .card-text:first-child { padding-top: 9px; }
.card .buttons { display: flex; flex-direction: column; border-top: 1px solid var(--line); }
.card .buttons.row { flex-direction: row; }
.card .buttons a { flex: 1; text-align: center; padding: 9px 8px; color: var(--blue); border-top: 1px solid var(--line); }
.card .buttons a:first-child { border-top: 0; }
.card .buttons.row a { border-top: 0; border-left: 1px solid var(--line); }
.card .buttons.row a:first-child { border-left: 0; }
.card .buttons button { flex: 1; padding: 9px 8px; border: 0; border-top: 1px solid var(--line); background: none; color: var(--blue); font: inherit; cursor: pointer; }
.card .buttons button:first-child { border-top: 0; }
.card .buttons.row button { border-top: 0; border-left: 1px solid var(--line); }
.card .buttons.row button:first-child { border-left: 0; }
.card .buttons button.red { color: #f54a45; }
.card .buttons button.gray { color: #646a73; }
.card .buttons button:disabled { color: var(--muted); cursor: default; }
.card .card-error { color: #f54a45; font-size: 12px; padding: 0 12px 6px; }
.at-line { font-size: 12px; color: var(--muted); margin-top: 3px; }
.composer { background: #fff; border-top: 1px solid var(--line); padding: 10px 16px 12px; flex: none; }
.as { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; margin-bottom: 6px; }
select, textarea { font: inherit; color: inherit; border: 1px solid #d0d3d6; border-radius: 6px; background: #fff; }
select { padding: 3px 6px; }
.compose-row { display: flex; gap: 10px; align-items: stretch; }
textarea { flex: 1; resize: none; padding: 7px 10px; min-height: 40px; }
textarea:focus, select:focus { outline: none; border-color: var(--blue); box-shadow: 0 0 0 2px rgba(22,119,255,.15); }
#send { background: var(--blue); color: #fff; border: 0; border-radius: 6px; padding: 0 22px; font: inherit; cursor: pointer; }
#send:hover { background: var(--blue-d); }
#send:disabled { background: #9fc3ff; cursor: default; }
.error { color: #f54a45; font-size: 12px; min-height: 16px; margin-top: 4px; }
.muted { color: var(--muted); font-weight: normal; }
.small { font-size: 12px; }
.day { text-align: center; color: var(--muted); font-size: 12px; margin: 18px 0 6px; }
.day span { display: inline-block; background: #e4e6eb; color: #646a73; border-radius: 999px; padding: 1px 10px; }

/* A phone: the list or one chat, full width; the header wraps so injected controls stay on screen. */
@media ${NARROW} {
  .top { padding: 6px 12px; gap: 6px 10px; }
  .brand { flex: 1; font-size: 15px; }
  .pill-extra { display: none; }
  .logo { width: 26px; height: 26px; border-radius: 7px; }
  #sandbox-controls { flex: 1 0 100%; margin-left: 0; }
  #sandbox-controls > * { flex-wrap: wrap; max-width: 100%; min-width: 0; }
  #sandbox-controls button { min-height: 32px; }
  .sidebar { width: 100%; border-right: 0; }
  .layout[data-view="list"] .chat, .layout[data-view="chat"] .sidebar { display: none; }
  .group { padding: 12px 16px; }
  .chat-head { padding: 6px 12px 6px 4px; min-height: 52px; }
  .back { display: grid; place-items: center; flex: none; width: 40px; height: 40px; border: 0; border-radius: 8px; background: none; color: var(--blue); font: 400 34px/1 -apple-system, "Helvetica Neue", Arial, sans-serif; padding: 0 0 4px; cursor: pointer; }
  .back:active { background: #f2f3f5; }
  .chat-title, .chat-sub { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .messages { padding: 4px 12px 16px; }
  .msg { gap: 8px; margin: 12px 0; }
  .msg .avatar { width: 32px; height: 32px; font-size: 14px; }
  .msg-body { max-width: 85%; min-width: 0; }
  .bubble.md { min-width: 0; }
  .card { min-width: 200px; }
  .card .buttons button, .card .buttons a { min-height: 44px; }
  .composer { padding: 8px 12px 10px; }
  .as select { flex: 1; min-width: 0; }
  .compose-row { gap: 8px; }
  textarea { min-width: 0; font-size: 16px; min-height: 44px; }
  #send { flex: none; min-width: 68px; padding: 0 16px; font-size: 15px; }
}
`;

const SCRIPT = `
(function () {
  const palette = ['#f5a623', '#7b61ff', '#14c0b4', '#f76964', '#4ea1ff', '#53c27b', '#e37cc6', '#ff8f3f'];
  const colorOf = (s) => { let h = 0; for (const c of s) h = (h * 31 + c.codePointAt(0)) >>> 0; return palette[h % palette.length]; };
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const fmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  const timeOf = (ms) => fmt.format(new Date(ms)).replace(/\\//g, '-');
  const clockOf = (ms) => timeOf(ms).slice(-5);
  const shanghaiDayOf = (ms) => Math.floor((ms + 8 * 3600000) / 86400000);
  const $ = (id) => document.getElementById(id);
  const narrow = window.matchMedia(NARROW);
  const placeholder = { wide: $('text').placeholder, narrow: '输入消息，例如：确认 4' };
  // view: what a narrow screen shows, the group list or the open chat; a wide one shows both.
  const state = { groups: [], messages: {}, unread: {}, current: null, robot: '机器人', view: 'list' };

  function mentionsOf(group) {
    const m = {};
    for (const p of group ? group.members : []) { m[p.staffId] = p.nick; m[p.nick] = p.nick; }
    return m;
  }
  function currentGroup() { return state.groups.find((g) => g.conversationId === state.current) || null; }
  function previewOf(msg) {
    const who = msg.from === 'bot' ? state.robot : msg.from.nick;
    const body = msg.text || (msg.markdown && msg.markdown.title) || (msg.card && (msg.card.title || '[卡片]')) || (msg.actionCard && msg.actionCard.title) || (msg.link && msg.link.title) || '[图片]';
    return who + ': ' + body.replace(/\\s+/g, ' ');
  }

  function renderGroups() {
    $('group-count').textContent = state.groups.length ? '(' + state.groups.length + ')' : '';
    const ul = $('groups');
    // The newest message stands in for "today" (the emulator's clock may be simulated): older days show their date.
    const lasts = state.groups.map((g) => { const l = state.messages[g.conversationId] || []; return l[l.length - 1]; }).filter(Boolean);
    const today = lasts.length ? Math.max.apply(null, lasts.map((m) => shanghaiDayOf(m.createdAt))) : null;
    ul.innerHTML = state.groups.length ? '' : '<li class="groups-empty">还没有群。用 <code>POST /_emulator/groups</code> 创建一个。</li>';
    for (const g of state.groups) {
      const list = state.messages[g.conversationId] || [];
      const last = list[list.length - 1];
      const li = document.createElement('li');
      li.className = 'group' + (g.conversationId === state.current ? ' active' : '');
      li.dataset.cid = g.conversationId;
      const unread = state.unread[g.conversationId] || 0;
      li.innerHTML = '<div class="avatar" style="background:' + colorOf(g.title) + '">' + esc(Array.from(g.title)[0] || '群') + '</div>' +
        '<div class="g-main"><div class="g-top"><span class="g-title">' + esc(g.title) + '</span><span class="g-time">' + (last ? esc(shanghaiDayOf(last.createdAt) === today ? clockOf(last.createdAt) : timeOf(last.createdAt).slice(0, 5)) : '') + '</span></div>' +
        '<div class="g-preview">' + (last ? esc(previewOf(last)) : '<span>' + g.members.length + ' 位成员</span>') + '</div></div>' +
        (unread ? '<span class="badge">' + unread + '</span>' : '');
      li.addEventListener('click', () => open(g.conversationId));
      ul.appendChild(li);
    }
  }

  function renderMembers() {
    const g = currentGroup();
    const sel = $('member');
    const previous = sel.value;
    sel.innerHTML = '';
    for (const m of g ? g.members : []) {
      const o = document.createElement('option');
      o.value = m.staffId;
      o.textContent = m.nick + (m.nick !== m.staffId ? ' (' + m.staffId + ')' : '');
      sel.appendChild(o);
    }
    if (g && g.members.some((m) => m.staffId === previous)) sel.value = previous;
    $('send').disabled = !g || g.members.length === 0;
  }

  function bubbleOf(msg, mentions) {
    if (msg.msgtype === 'text') return '<div class="bubble">' + renderPlainText(msg.text || '', mentions) + '</div>';
    if (msg.msgtype === 'markdown') return '<div class="bubble md" title="' + esc(msg.markdown.title) + '">' + renderMarkdown(msg.markdown.text, mentions) + '</div>';
    if (msg.msgtype === 'actionCard') {
      const c = msg.actionCard;
      const buttons = c.buttons.map((b) => {
        const dt = /^dtmd:/i.test(b.url);
        const safe = /^(https?:\\/\\/|mailto:|dtmd:\\/\\/)/i.test(b.url);
        return '<a ' + (safe ? 'href="' + esc(b.url) + '"' : '') + (dt ? ' class="dtmd" data-dtmd="1"' : ' target="_blank" rel="noopener noreferrer"') + '>' + esc(b.title) + '</a>';
      }).join('');
      // DingTalk shows an ActionCard's text; its title is only the notification preview.
      return '<div class="bubble card" title="' + esc(c.title) + '"><div class="card-text">' + renderMarkdown(c.text, mentions) + '</div>' +
        '<div class="buttons' + (c.btnOrientation === '1' ? ' row' : '') + '">' + buttons + '</div></div>';
    }
    if (msg.msgtype === 'link') {
      const l = msg.link;
      const safe = /^https?:\\/\\//i.test(l.messageUrl);
      return '<div class="bubble card"><div class="card-title">' + esc(l.title) + '</div><div class="card-text">' + renderPlainText(l.text, mentions) + '</div>' +
        '<div class="buttons"><a ' + (safe ? 'href="' + esc(l.messageUrl) + '"' : '') + ' target="_blank" rel="noopener noreferrer">打开链接</a></div></div>';
    }
    if (msg.msgtype === 'card') {
      const c = msg.card;
      const buttons = c.buttons.map((b, i) => '<button type="button" class="card-btn ' + esc(b.color || 'blue') + '" data-track="' + esc(c.outTrackId) + '" data-index="' + i + '"' +
        (c.streamCallbacks ? '' : ' disabled title="callbackType 不是 STREAM：点击不会回传"') + '>' + esc(b.text) + '</button>').join('');
      return '<div class="bubble card interactive" data-track="' + esc(c.outTrackId) + '" data-version="' + c.version + '">' +
        (c.title ? '<div class="card-title">' + esc(c.title) + '</div>' : '') + '<div class="card-text">' + renderMarkdown(c.markdown, mentions) + '</div>' +
        '<div class="card-error" role="alert"></div>' +
        (buttons ? '<div class="buttons' + (c.buttons.length <= 3 ? ' row' : '') + '">' + buttons + '</div>' : '') + '</div>';
    }
    if (msg.msgtype === 'image') return '<div class="bubble">🖼 <a href="' + esc(msg.image.photoURL) + '" target="_blank" rel="noopener noreferrer">图片</a></div>';
    return '<div class="bubble">' + esc(JSON.stringify(msg)) + '</div>';
  }

  function messageHtml(msg, group, mentions) {
    const me = $('member').value;
    const bot = msg.from === 'bot';
    const mine = !bot && msg.from.staffId === me;
    const name = bot ? state.robot : msg.from.nick;
    const via = msg.via === 'sessionWebhook' ? '会话回复' : msg.via === 'openapi' ? '主动推送' : '';
    const avatar = bot ? '<div class="avatar bot">机</div>' : '<div class="avatar" style="background:' + colorOf(msg.from.staffId) + '">' + esc(Array.from(name)[0] || '?') + '</div>';
    const nicks = (msg.atUserIds || []).map((id) => { const m = group.members.find((x) => x.staffId === id); return '@' + (m ? m.nick : id); });
    const atLine = bot && (nicks.length || msg.isAtAll) ? '<div class="at-line">提醒 ' + esc((msg.isAtAll ? ['@所有人'] : []).concat(nicks).join(' ')) + '</div>' : '';
    const botAt = !bot && msg.via === 'user' ? '<span class="mention">@' + esc(state.robot) + '</span> ' : '';
    let bubble = bubbleOf(msg, mentions);
    if (botAt) bubble = bubble.replace('<div class="bubble">', '<div class="bubble">' + botAt);
    return '<div class="msg' + (mine ? ' mine' : '') + '" data-msgid="' + esc(msg.msgId) + '">' + avatar +
      '<div class="msg-body"><div class="meta" title="' + esc(timeOf(msg.createdAt)) + '">' + esc(name) + ' · ' + esc(clockOf(msg.createdAt)) + (via ? '<span class="tag">' + via + '</span>' : '') + '</div>' + bubble + atLine + '</div></div>';
  }

  // A divider above each Shanghai day's first message; the year shows only when it is not the last message's.
  function messagesHtml(list, group, mentions) {
    const latest = list[list.length - 1].createdAt;
    let day = null;
    return list.map((m) => {
      const d = shanghaiDayOf(m.createdAt);
      const divider = d === day ? '' : '<div class="day"><span>' + esc(dayDividerLabel(m.createdAt, latest)) + '</span></div>';
      day = d;
      return divider + messageHtml(m, group, mentions);
    }).join('');
  }

  function renderMessages() {
    const g = currentGroup();
    const box = $('messages');
    if (!g) {
      $('chat-title').textContent = state.groups.length ? '选择一个群' : '还没有群';
      $('chat-sub').textContent = '';
      box.innerHTML = '<div class="empty">' + (state.groups.length ? '在左侧选择一个群。' : '还没有群。用 <code>POST /_emulator/groups</code> 创建一个。') + '</div>';
      return;
    }
    $('chat-title').textContent = g.title;
    $('chat-sub').textContent = g.members.length + ' 位成员 · ' + g.members.map((m) => m.nick).join('、');
    const list = state.messages[g.conversationId] || [];
    const mentions = mentionsOf(g);
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.innerHTML = list.length ? messagesHtml(list, g, mentions) : '<div class="empty">还没有消息。在下方以成员身份发言试试。</div>';
    if (nearBottom || box.dataset.cid !== g.conversationId) box.scrollTop = box.scrollHeight;
    box.dataset.cid = g.conversationId;
  }

  function fitPlaceholder() { $('text').placeholder = narrow.matches ? placeholder.narrow : placeholder.wide; }
  fitPlaceholder();

  function chatVisible() { return !narrow.matches || state.view === 'chat'; }

  function setView(view) {
    state.view = view;
    $('layout').dataset.view = view;
  }

  function select(cid) {
    state.current = cid;
    if (chatVisible()) state.unread[cid] = 0;
    // The address names the chat on screen, so a reload comes back to it; a phone's list has none.
    if (cid && chatVisible()) history.replaceState(history.state, '', '#' + encodeURIComponent(cid));
    renderGroups();
    renderMembers();
    renderMessages();
  }

  // A member chose a group. On a phone the chat gets its own history entry, so the system back
  // gesture returns to the list instead of leaving the page.
  function open(cid) {
    const push = narrow.matches && state.view === 'list';
    setView('chat');
    if (push) history.pushState({ emulatorChat: cid }, '', '#' + encodeURIComponent(cid));
    select(cid);
    const box = $('messages');
    box.scrollTop = box.scrollHeight;
  }

  function showList() {
    setView('list');
    if (narrow.matches && location.hash) history.replaceState(null, '', location.pathname + location.search);
    renderGroups();
  }

  async function getJson(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  }

  async function refreshStatus() {
    try {
      const s = await getJson('/_emulator/state');
      if (s.apps[0]) state.robot = s.apps[0].name;
      const live = s.connections.filter((c) => !c.closing).length;
      const el = $('bot-status');
      el.className = 'pill ' + (live ? 'on' : 'off');
      el.innerHTML = live ? '机器人在线<span class="pill-extra"> · ' + live + ' 个连接</span>' : '机器人离线';
    } catch (e) { /* the next event retries */ }
  }

  async function loadAll() {
    await refreshStatus();
    state.groups = await getJson('/_emulator/groups');
    const lists = await Promise.all(state.groups.map((g) => getJson('/_emulator/groups/' + encodeURIComponent(g.conversationId) + '/messages')));
    state.messages = {};
    state.groups.forEach((g, i) => { state.messages[g.conversationId] = lists[i]; });
    const fromHash = decodeURIComponent(location.hash.slice(1));
    const hashed = state.groups.some((g) => g.conversationId === fromHash);
    const keep = state.groups.some((g) => g.conversationId === state.current) ? state.current : null;
    if (!keep) setView(hashed ? 'chat' : 'list');
    select(keep || (hashed ? fromHash : (state.groups[0] ? state.groups[0].conversationId : null)));
  }

  async function send(text) {
    const g = currentGroup();
    const err = $('compose-error');
    err.textContent = '';
    if (!g) { err.textContent = '先选择一个群。'; return false; }
    if (!text.trim()) { err.textContent = '消息不能为空。'; return false; }
    const r = await fetch('/_emulator/groups/' + encodeURIComponent(g.conversationId) + '/messages', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ senderStaffId: $('member').value, text }),
    });
    if (!r.ok) { const b = await r.json().catch(() => ({})); err.textContent = b.error || ('发送失败：HTTP ' + r.status); return false; }
    return true;
  }

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const box = $('text');
    if (await send(box.value)) { box.value = ''; box.focus(); }
  });
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); $('composer').requestSubmit(); }
  });
  $('member').addEventListener('change', renderMessages);
  $('back').addEventListener('click', () => {
    if (history.state && history.state.emulatorChat) history.back(); else showList();
  });
  window.addEventListener('popstate', () => {
    const cid = decodeURIComponent(location.hash.slice(1));
    if (state.groups.some((g) => g.conversationId === cid)) { setView('chat'); select(cid); } else showList();
  });
  // Turning a phone to a wide window shows the chat too: what is on screen counts as read.
  narrow.addEventListener('change', () => { fitPlaceholder(); select(state.current); });
  // DingTalk's dtmd://dingtalkclient/sendMessage?content=… links send the content as the reader.
  $('messages').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-dtmd]');
    if (!a) return;
    e.preventDefault();
    const m = /^dtmd:\\/\\/dingtalkclient\\/sendMessage\\?content=(.*)$/i.exec(a.getAttribute('href') || '');
    if (m) send(decodeURIComponent(m[1].replace(/\\+/g, ' ')));
  });

  // A click on an interactive card's button: DingTalk sends the callback as the member chosen above.
  async function clickCard(btn) {
    const card = btn.closest('.card');
    const err = card && card.querySelector('.card-error');
    if (err) err.textContent = '';
    btn.disabled = true;
    try {
      const r = await fetch('/_emulator/cards/' + encodeURIComponent(btn.dataset.track) + '/actions', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: $('member').value, button: Number(btn.dataset.index) }),
      });
      if (!r.ok) { const b = await r.json().catch(() => ({})); if (err) err.textContent = b.error || ('点击失败：HTTP ' + r.status); }
    } finally { btn.disabled = false; }
  }
  $('messages').addEventListener('click', (e) => {
    const btn = e.target.closest('button.card-btn');
    if (btn) clickCard(btn);
  });
  const events = new EventSource('/_emulator/events');
  events.addEventListener('messageUpdate', (e) => {
    const { message } = JSON.parse(e.data);
    const list = state.messages[message.conversationId] || [];
    const i = list.findIndex((m) => m.msgId === message.msgId);
    if (i < 0) return;
    list[i] = message;
    if (message.conversationId === state.current) renderMessages();
    document.dispatchEvent(new CustomEvent('emulator:messageUpdate', { detail: message }));
  });
  events.addEventListener('group', (e) => {
    const { group } = JSON.parse(e.data);
    if (!state.groups.some((g) => g.conversationId === group.conversationId)) state.groups.push(group);
    state.messages[group.conversationId] = state.messages[group.conversationId] || [];
    if (!state.current) select(group.conversationId); else renderGroups();
  });
  events.addEventListener('message', (e) => {
    const { message } = JSON.parse(e.data);
    const list = state.messages[message.conversationId] || (state.messages[message.conversationId] = []);
    if (list.some((m) => m.msgId === message.msgId)) return;
    list.push(message);
    if (message.conversationId === state.current) renderMessages();
    if (message.conversationId !== state.current || !chatVisible()) state.unread[message.conversationId] = (state.unread[message.conversationId] || 0) + 1;
    renderGroups();
    document.dispatchEvent(new CustomEvent('emulator:message', { detail: message }));
  });
  events.addEventListener('connection', refreshStatus);
  events.addEventListener('reset', () => { state.current = null; showList(); loadAll(); });
  events.addEventListener('open', () => loadAll().catch((e) => { $('compose-error').textContent = String(e.message || e); }));

  window.emulatorPage = { reload: loadAll, send, clickCard, currentConversationId: () => state.current };
})();
`;
