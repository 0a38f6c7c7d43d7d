// Keyboard shortcut overlay, toggled with "?".
import { h } from './dom.js';

export class HelpOverlay {
  constructor(app) {
    this.app = app;
    this.open = false;
    this.body = h('div', { class: 'ls-help-body' });
    this.el = h('div', { class: 'ls-help', hidden: true, role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
      h('div', { class: 'ls-help-card' },
        h('div', { class: 'ls-help-head' }, h('strong', { text: 'Keyboard shortcuts' }),
          h('button', { type: 'button', class: 'ls-icon-btn ls-help-close', text: '✕', title: 'Close (Esc)', onClick: () => this.toggle(false) })),
        this.body));
    this.el.addEventListener('click', (ev) => { if (ev.target === this.el) this.toggle(false); });
  }

  toggle(force) {
    this.open = force == null ? !this.open : force;
    if (this.open) this.render();
    this.el.hidden = !this.open;
  }

  render() {
    const groups = new Map();
    for (const b of this.app.hotkeys.list()) {
      if (!groups.has(b.group)) groups.set(b.group, []);
      groups.get(b.group).push(b);
    }
    const extra = [
      { combo: 'Ctrl+Wheel', description: 'Zoom image' }, { combo: 'Alt+Drag', description: 'Pan image' },
      { combo: 'Double-click / Enter', description: 'Close polygon' },
    ];
    this.body.replaceChildren(...[...groups.entries(), ['Mouse', extra]].map(([group, rows]) => h('section', null,
      h('h4', { text: group }),
      h('table', { class: 'ls-help-table' }, rows.map((r) => h('tr', null, h('td', null, h('kbd', { text: r.combo })), h('td', { text: r.description })))))));
  }
}
