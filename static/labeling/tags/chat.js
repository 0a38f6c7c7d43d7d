// Chat: a conversation [{role, content}] from task data shown as messages (Markdown, sanitised).
// A message is a region: clicking it selects it, so perRegion controls (whenRole) rate it.
// Annotators add messages (chatmessage results, Label Studio's shape); with `llm` the page's
// options.chat.complete({name, messages}) asks the project's ML backend for the next answer.
// Markdown: a visual tag showing Markdown text (value="$key" or its own text).
import { buildItem } from '../result.js';
import { markdownToHTML } from '../markdown.js';
import { sanitizeHTML } from '../sanitize.js';
import { h } from '../ui/dom.js';

const renderMarkdown = (el, text) => { el.innerHTML = sanitizeHTML(markdownToHTML(text)); };
const roleList = (node) => String(node.attrs.messageroles || 'user,assistant').split(',').map((r) => r.trim()).filter(Boolean);

function dataMessages(node, app) {
  const raw = app.resolve(node.attrs.value);
  const list = Array.isArray(raw) ? raw : [];
  return list.filter((m) => m && typeof m === 'object').map((m, i) => ({
    id: `${node.name}_${i}`, from_name: node.name, to_name: node.name, type: 'chatmessage', readonly: true,
    value: { chatmessage: { role: String(m.role ?? ''), content: String(m.content ?? '') } },
  }));
}

export const tags = {
  Chat: {
    render(node, app) {
      const fixed = dataMessages(node, app);
      app.virtualRegions = app.virtualRegions || new Map();
      for (const m of fixed) app.virtualRegions.set(m.id, m);
      const list = h('div', { class: 'ls-chat-messages', role: 'list' });
      const roles = roleList(node);
      const max = Number(app.resolve(node.attrs.maxMessages)) || Infinity;
      const added = () => app.store.items.filter((it) => it.from_name === node.name && it.type === 'chatmessage');
      const all = () => [...fixed, ...added()];
      const draw = () => {
        const selected = app.store.selectedId;
        list.replaceChildren(...all().map((m) => {
          const msg = m.value.chatmessage || {};
          const body = h('div', { class: 'ls-chat-content' });
          renderMarkdown(body, msg.content);
          const el = h('div', { class: `ls-chat-message ls-chat-${msg.role}${m.id === selected ? ' ls-selected' : ''}`, role: 'listitem', 'data-id': m.id, 'data-role': msg.role, tabindex: '0' },
            h('div', { class: 'ls-chat-role', text: msg.role }), body);
          el.addEventListener('click', (ev) => { if (!ev.target.closest('.ls-chat-editor')) app.store.select(app.store.selectedId === m.id ? null : m.id); });
          if (!m.readonly && canEdit(msg.role)) el.append(editButton(m, el, body));
          return el;
        }));
        const full = all().length >= max;
        if (send) send.disabled = full;
        if (status) status.textContent = full ? `This conversation has its ${max} messages.` : '';
      };
      // editable="true" or a role list: the annotator may edit the messages they added (never the task's)
      const editable = String(node.attrs.editable || 'false').trim();
      const canEdit = (r) => !app.readOnly && (editable === 'true' || (editable !== 'false' && editable.split(',').map((x) => x.trim()).includes(r)));
      const editButton = (m, el, body) => {
        const btn = h('button', { type: 'button', class: 'ls-icon-btn ls-chat-edit', title: 'Edit', text: '✎' });
        btn.addEventListener('click', (ev) => {
          ev.stopPropagation();
          const area = h('textarea', { class: 'ls-chat-input', rows: '3' });
          area.value = m.value.chatmessage.content;
          const save = h('button', { type: 'button', class: 'ls-btn ls-chat-save', text: 'Save' });
          save.addEventListener('click', () => {
            const content = area.value.trim();
            if (content) app.store.update(m.id, m.from_name, (old) => ({ ...old, value: { chatmessage: { ...old.value.chatmessage, content } } }));
            else draw();
          });
          body.replaceWith(h('div', { class: 'ls-chat-editor' }, area, save));
          btn.remove();
          area.focus();
        });
        return btn;
      };
      let send = null;
      let status = null;
      const el = h('div', { class: 'ls-chat htx-chat', 'data-name': node.name }, list);
      if (!app.readOnly) {
        const role = h('select', { class: 'ls-chat-role-select', 'aria-label': 'Role' }, ...roles.map((r) => h('option', { value: r, text: r })));
        const input = h('textarea', { class: 'ls-chat-input', rows: '2', placeholder: 'Write a message…', 'aria-label': 'Message' });
        status = h('div', { class: 'ls-chat-status', role: 'status' });
        const add = (r, content) => app.store.add(buildItem({ from_name: node.name, to_name: node.name, type: 'chatmessage', value: { chatmessage: { role: r, content, createdAt: Date.now() } } }));
        const ask = async () => {
          const complete = app.options.chat && app.options.chat.complete;
          if (!node.attrs.llm || !complete) return;
          status.textContent = 'Asking the model…';
          try {
            const messages = all().map((m) => ({ role: m.value.chatmessage.role, content: m.value.chatmessage.content }));
            const reply = await complete({ name: node.name, llm: node.attrs.llm, messages });
            if (reply && typeof reply.content === 'string' && !app.destroyed) add(roles.includes('assistant') ? 'assistant' : roles[roles.length - 1], reply.content);
            status.textContent = '';
          } catch (err) {
            status.textContent = `The model did not answer: ${err.message}`;
          }
        };
        send = h('button', { type: 'button', class: 'ls-btn ls-primary ls-chat-send', text: 'Send' });
        send.addEventListener('click', () => {
          const content = input.value.trim();
          if (!content || all().length >= max) return;
          add(role.value, content);
          input.value = '';
          if (role.value === 'user') ask();
          else if (roles.length === 2) role.value = roles.find((r) => r !== role.value);
        });
        input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.shiftKey && !ev.ctrlKey) { ev.preventDefault(); send.click(); } });
        el.append(h('div', { class: 'ls-chat-composer' }, role, input, send), status);
      }
      const min = Number(node.attrs.minMessages) || 0;
      app.checks = app.checks || [];
      app.checks.push(() => (all().length < min ? { control: node.name, message: `"${node.name}" needs at least ${min} messages (has ${all().length})` } : null));
      app.objects.set(node.name, { el });
      app.on((change) => { if (change.type === 'select' || change.type === 'reset' || !change.item || change.item.from_name === node.name) draw(); });
      draw();
      return el;
    },
  },
  Markdown: {
    render(node, app) {
      const el = h('div', { class: 'ls-markdown' });
      const value = node.attrs.value != null ? app.resolve(node.attrs.value) : node.text;
      renderMarkdown(el, value == null ? '' : String(value));
      return el;
    },
  },
};
