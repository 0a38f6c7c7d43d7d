// Paragraphs object (dialogues): a list of {author, text}; Labels /
// ParagraphLabels select across paragraphs: {start:"i", end:"j", startOffset, endOffset, text}.
import { h } from '../ui/dom.js';
import { isRegion, labelsOf, buildItem, payloadKey } from '../result.js';
import { offsetIn, wrapRange } from './spans.js';
import { phraseTimes, phraseAt } from '../phrases.js';

export const tags = {
  Paragraphs: {
    render(node, app) {
      const nameKey = node.attrs.nameKey || 'author';
      const textKey = node.attrs.textKey || 'text';
      const data = app.resolve(node.attrs.value);
      const list = Array.isArray(data) ? data : [];
      const content = h('div', { class: 'ls-paragraphs', 'data-name': node.name });
      const el = h('div', { class: 'ls-object ls-paragraphs-object' }, content);
      const texts = [];
      const player = phrasePlayer(node, app, list, content, el);
      const build = () => {
        texts.length = 0;
        content.replaceChildren(...list.map((p, i) => {
          const t = h('span', { class: 'ls-paragraph-text', text: String(p?.[textKey] ?? '') });
          texts.push(t);
          return h('div', { class: 'ls-paragraph', 'data-index': String(i) }, player.button(i), p?.[nameKey] != null ? h('span', { class: 'ls-paragraph-author', text: String(p[nameKey]) }) : null, t);
        }));
        player.mark();
      };
      const redraw = () => {
        build();
        for (const it of app.store.items) {
          if (it.to_name !== node.name || !isRegion(it) || !it.value) continue;
          const s = Number(it.value.start);
          const e = Number(it.value.end);
          const attrs = { 'data-id': it.id, style: `--ls-color:${app.colorFor(it)}` };
          let last = null;
          for (let i = s; i <= e && i < texts.length; i++) {
            const from = i === s ? it.value.startOffset || 0 : 0;
            const to = i === e ? it.value.endOffset ?? texts[i].textContent.length : texts[i].textContent.length;
            const pieces = wrapRange(texts[i], from, to, attrs);
            for (const p of pieces) {
              p.classList.toggle('ls-selected', app.store.selectedId === it.id);
              p.classList.toggle('ls-hidden-region', app.store.isHidden(it.id));
            }
            if (pieces.length) last = pieces[pieces.length - 1];
          }
          if (last) last.setAttribute('data-label', labelsOf(it).join(', '));
        }
      };
      app.objects.set(node.name, { el, name: node.name, node, redraw });
      app.on((c) => {
        if (c.type === 'reset' || c.type === 'select' || c.type === 'visibility' || (c.item && c.item.to_name === node.name)) redraw();
      });
      content.addEventListener('mouseup', () => {
        const active = app.getActive(node.name);
        const sel = content.ownerDocument.getSelection();
        if (app.readOnly || !sel || sel.isCollapsed) return;
        if (!active) return app.nothingCreated(node.name);
        const range = sel.getRangeAt(0);
        const pa = range.startContainer.parentElement?.closest('.ls-paragraph');
        const pb = range.endContainer.parentElement?.closest('.ls-paragraph');
        if (!pa || !pb || !content.contains(pa) || !content.contains(pb)) return;
        const s = Number(pa.dataset.index);
        const e = Number(pb.dataset.index);
        const ts = texts[s];
        const te = texts[e];
        const startOffset = ts.contains(range.startContainer) ? offsetIn(ts, range.startContainer, range.startOffset) : 0;
        const endOffset = te.contains(range.endContainer) ? offsetIn(te, range.endContainer, range.endOffset) : te.textContent.length;
        const parts = [];
        for (let i = s; i <= e; i++) {
          const full = texts[i].textContent;
          parts.push(full.slice(i === s ? startOffset : 0, i === e ? endOffset : full.length));
        }
        const text = parts.join('\n');
        sel.removeAllRanges();
        if (s === e && endOffset <= startOffset) return;
        const type = active.control.type;
        app.addRegion(buildItem({
          from_name: active.control.name, to_name: node.name, type,
          value: { start: String(s), end: String(e), startOffset, endOffset, text, [payloadKey(type)]: [...active.labels] },
        }));
      });
      content.addEventListener('click', (ev) => {
        const span = ev.target.closest('.ls-region');
        if (span && content.ownerDocument.getSelection().isCollapsed) app.store.select(span.dataset.id);
      });
      redraw();
      return el;
    },
  },
};

// audioUrl / sync: a play button per timed phrase seeks the linked Audio (the object named by `sync`,
// else an audio element of our own for audioUrl) to the phrase's start and plays to its end; the
// phrase playing is marked .ls-paragraph-active as the audio plays.
function phrasePlayer(node, app, list, content, el) {
  const times = phraseTimes(list);
  const url = node.attrs.audioUrl ? app.resolve(node.attrs.audioUrl) : null;
  const linked = node.attrs.sync || (url ? '' : null);
  if (linked == null || !times.some(Boolean)) return { button: () => null, mark() {} };
  let own = null;
  let bound = null;
  let stopAt = Infinity;
  let active = -1;
  const mark = () => {
    for (const d of content.querySelectorAll('.ls-paragraph')) d.classList.toggle('ls-paragraph-active', Number(d.dataset.index) === active);
  };
  const audio = () => {
    let a = linked ? app.objects.get(linked)?.audio : null;
    if (!a && url) {
      if (!own) {
        own = h('audio', { preload: 'auto', class: 'ls-paragraphs-audio', src: String(url) });
        el.prepend(own);
      }
      a = own;
    }
    if (a && bound !== a) {
      bound = a;
      a.addEventListener('timeupdate', () => {
        if (a.currentTime >= stopAt) { a.pause(); stopAt = Infinity; }
        const now = phraseAt(times, a.currentTime);
        if (now !== active) { active = now; mark(); }
      });
    }
    return a;
  };
  queueMicrotask(audio);
  const play = (i) => {
    const a = audio();
    if (!a || !times[i]) return;
    a.currentTime = times[i].start;
    stopAt = times[i].end;
    active = i;
    mark();
    a.play()?.catch?.(() => {});
  };
  return {
    mark,
    button: (i) => (times[i] ? h('button', { type: 'button', class: 'ls-btn ls-paragraph-play', title: 'Play phrase', 'aria-label': `Play phrase ${i + 1}`, text: '▶', onClick: () => play(i) }) : null),
  };
}
