// Visual tags: View, Header, Style (Style is injected once by the app).
import { h } from '../ui/dom.js';

const safeStyle = (s) => (s && !/url\s*\(|expression\s*\(|javascript:/i.test(s) ? s : '');

export const tags = {
  View: {
    render(node, app) {
      const el = h('div', { class: `ls-view${node.attrs.className ? ` ${node.attrs.className}` : ''}` });
      const style = safeStyle(node.attrs.style);
      if (style) el.setAttribute('style', style);
      app.renderChildren(node, el);
      return el;
    },
  },
  Header: {
    render(node, app) {
      const size = Math.min(6, Math.max(1, Number(node.attrs.size) || 4));
      const text = app.resolve(node.attrs.value ?? node.text ?? '');
      const el = h(`h${size}`, { class: 'ls-header', text: text == null ? '' : String(text) });
      if (node.attrs.underline === 'true') el.style.textDecoration = 'underline';
      const style = safeStyle(node.attrs.style);
      if (style) el.setAttribute('style', style);
      return el;
    },
  },
  Style: { render: () => null },
  Panel: {
    render(node, app) {
      const el = h('details', { class: 'ls-panel', open: true }, h('summary', { text: String(app.resolve(node.attrs.value || '') ?? '') }));
      app.renderChildren(node, el);
      return el;
    },
  },
  // Label/Choice/Relation children are rendered by their parent control.
  Label: { render: () => null },
  Choice: { render: () => null },
  Relation: { render: () => null },
  Relations: { render: () => null },
};
