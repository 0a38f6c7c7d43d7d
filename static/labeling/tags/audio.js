// Audio object: waveform (decoded with WebAudio when available), play/pause,
// seek, speed; Labels on Audio make segments {start, end, channel?, labels}.
import { h, drag } from '../ui/dom.js';
import { audioSegmentItem, labelsOf } from '../result.js';
import { clamp } from '../geometry.js';

const fmt = (t) => {
  if (!Number.isFinite(t)) return '0:00';
  const m = Math.floor(t / 60);
  const s = (t % 60).toFixed(1).padStart(4, '0');
  return `${m}:${s}`;
};

export const tags = {
  Audio: { render: (node, app) => new AudioView(node, app).el },
  AudioPlus: { render: (node, app) => new AudioView(node, app).el },
};

class AudioView {
  constructor(node, app) {
    this.node = node;
    this.app = app;
    this.name = node.name;
    this.duration = 0;
    this.segs = new Map();
    const src = app.resolve(node.attrs.value);
    this.audio = h('audio', { preload: 'auto', class: 'ls-audio-element' });
    this.playBtn = h('button', { type: 'button', class: 'ls-btn ls-audio-play', text: '▶ Play', onClick: () => this.toggle() });
    this.time = h('span', { class: 'ls-audio-time', text: '0:00 / 0:00' });
    this.speed = h('select', { class: 'ls-audio-speed', 'aria-label': 'Speed' }, [0.5, 0.75, 1, 1.25, 1.5, 2].map((v) => h('option', { value: String(v), text: `${v}×`, selected: v === 1 })));
    this.speed.addEventListener('change', () => { this.audio.playbackRate = Number(this.speed.value); });
    this.canvas = h('canvas', { class: 'ls-audio-wave' });
    this.segLayer = h('div', { class: 'ls-audio-segments' });
    this.cursor = h('div', { class: 'ls-audio-cursor' });
    this.track = h('div', { class: 'ls-audio-track', 'data-name': node.name }, this.canvas, this.segLayer, this.cursor);
    this.el = h('div', { class: 'ls-object ls-audio', 'data-name': node.name },
      h('div', { class: 'ls-audio-controls' }, this.playBtn, this.speed, this.time), this.track, this.audio);
    app.objects.set(node.name, this);
    this.audio.addEventListener('loadedmetadata', () => this.setDuration(this.audio.duration));
    this.audio.addEventListener('timeupdate', () => this.tick());
    this.audio.addEventListener('play', () => { this.playBtn.textContent = '❚❚ Pause'; this.loop(); });
    this.audio.addEventListener('pause', () => { this.playBtn.textContent = '▶ Play'; });
    this.audio.addEventListener('ended', () => { this.playBtn.textContent = '▶ Play'; });
    if (src) {
      this.audio.src = String(src);
      this.decode(String(src));
    }
    if (node.attrs.duration) this.setDuration(Number(node.attrs.duration));
    this.track.addEventListener('pointerdown', (ev) => this.onPointerDown(ev));
    app.on((c) => this.onChange(c));
    if (!app.readOnly && node.attrs.hotkey) app.hotkeys.add(node.attrs.hotkey, () => this.toggle(), { description: 'Play / pause audio' });
    requestAnimationFrame(() => this.drawWave());
  }

  async decode(src) {
    const AC = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!AC || !globalThis.fetch) return;
    try {
      const buf = await (await fetch(src)).arrayBuffer();
      const ctx = new AC();
      const audio = await ctx.decodeAudioData(buf);
      ctx.close?.();
      this.buffer = audio;
      if (!this.duration) this.setDuration(audio.duration);
      this.drawWave();
    } catch (err) {
      this.el.classList.add('ls-audio-nowave');
    }
  }

  setDuration(d) {
    if (!Number.isFinite(d) || d <= 0 || this.duration === d) return;
    this.duration = d;
    this.tick();
    this.redrawAll();
  }

  drawWave() {
    const c = this.canvas;
    const w = c.clientWidth || 600;
    const hgt = c.clientHeight || 80;
    const dpr = globalThis.devicePixelRatio || 1;
    c.width = w * dpr;
    c.height = hgt * dpr;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, hgt);
    g.fillStyle = getComputedStyle(this.el).getPropertyValue('--ls-wave') || '#94a3b8';
    const mid = hgt / 2;
    if (!this.buffer) {
      g.fillRect(0, mid - 0.5, w, 1);
      return;
    }
    const data = this.buffer.getChannelData(0);
    const step = Math.max(1, Math.floor(data.length / w));
    for (let x = 0; x < w; x++) {
      let lo = 1; let hi = -1;
      const from = x * step;
      for (let i = from; i < from + step && i < data.length; i++) {
        const v = data[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi < lo) continue;
      g.fillRect(x, mid + lo * mid, 1, Math.max(1, (hi - lo) * mid));
    }
  }

  toggle() {
    if (this.audio.paused) this.audio.play().catch(() => {});
    else this.audio.pause();
  }

  loop() {
    this.tick();
    if (!this.audio.paused) requestAnimationFrame(() => this.loop());
  }

  tick() {
    const t = this.audio.currentTime || 0;
    this.time.textContent = `${fmt(t)} / ${fmt(this.duration)}`;
    this.cursor.style.left = `${this.duration ? (t / this.duration) * 100 : 0}%`;
  }

  timeAt(ev) {
    const r = this.track.getBoundingClientRect();
    return clamp((ev.clientX - r.left) / (r.width || 1), 0, 1) * this.duration;
  }

  seek(t) {
    try { this.audio.currentTime = t; } catch (e) { /* not seekable yet */ }
    this.tick();
  }

  onPointerDown(ev) {
    if (ev.button !== 0) return;
    ev.preventDefault();
    const segEl = ev.target.closest('.ls-audio-segment');
    const edge = ev.target.getAttribute('data-edge');
    if (segEl) {
      const id = segEl.dataset.id;
      this.app.store.select(id);
      if (edge && !this.app.readOnly) this.resize(ev, id, edge);
      return;
    }
    const active = this.app.getActive(this.name);
    const t0 = this.timeAt(ev);
    if (!active || this.app.readOnly || !this.duration) {
      this.app.store.select(null);
      this.seek(t0);
      if (!active && !this.app.readOnly) {
        // a drag with no active label creates nothing: say so instead of failing silently
        const x0 = ev.clientX;
        let moved = false;
        drag(ev, (e) => { if (Math.abs(e.clientX - x0) > 4) moved = true; }, () => { if (moved) this.app.nothingCreated(this.name); });
      }
      return;
    }
    const ghost = h('div', { class: 'ls-audio-segment ls-draft' });
    this.segLayer.append(ghost);
    let t1 = t0;
    drag(ev, (e) => {
      t1 = this.timeAt(e);
      this.place(ghost, Math.min(t0, t1), Math.max(t0, t1));
    }, () => {
      ghost.remove();
      const r = this.track.getBoundingClientRect();
      if ((Math.abs(t1 - t0) / this.duration) * r.width < 4) return this.seek(t0);
      this.app.addRegion(audioSegmentItem({
        control: active.control.name, toName: this.name, start: Math.min(t0, t1), end: Math.max(t0, t1), labels: active.labels,
        channel: this.node.attrs.splitchannels === 'true' ? 0 : undefined, duration: this.duration,
      }));
    });
  }

  resize(ev, id, edge) {
    const item = this.app.store.region(id);
    let { start, end } = item.value;
    const el = this.segs.get(id);
    drag(ev, (e) => {
      const t = this.timeAt(e);
      if (edge === 'start') start = Math.min(t, end);
      else end = Math.max(t, start);
      this.place(el, start, end);
    }, () => this.app.updateRegion(id, item.from_name, (old) => ({ ...old, value: { ...old.value, start: +start.toFixed(4), end: +end.toFixed(4) } })));
  }

  place(el, start, end) {
    const d = this.duration || 1;
    el.style.left = `${(start / d) * 100}%`;
    el.style.width = `${((end - start) / d) * 100}%`;
  }

  mine(it) {
    return it && it.to_name === this.name && it.type === 'labels' && it.value && typeof it.value.start === 'number';
  }

  draw(it) {
    let el = this.segs.get(it.id);
    if (!el) {
      el = h('div', { class: 'ls-audio-segment ls-region', 'data-id': it.id },
        h('span', { class: 'ls-audio-edge', 'data-edge': 'start' }), h('span', { class: 'ls-audio-seglabel' }), h('span', { class: 'ls-audio-edge ls-end', 'data-edge': 'end' }));
      this.segs.set(it.id, el);
      this.segLayer.append(el);
    }
    el.style.setProperty('--ls-color', this.app.colorFor(it));
    el.classList.toggle('ls-selected', this.app.store.selectedId === it.id);
    el.hidden = this.app.store.isHidden(it.id);
    el.querySelector('.ls-audio-seglabel').textContent = labelsOf(it).join(', ');
    this.place(el, it.value.start, it.value.end);
  }

  redrawAll() {
    this.segLayer.replaceChildren();
    this.segs.clear();
    for (const it of this.app.store.items) if (this.mine(it)) this.draw(it);
  }

  onChange(c) {
    if (c.type === 'reset') return this.redrawAll();
    if (c.type === 'select' || c.type === 'visibility') {
      for (const id of [c.prev, c.id]) {
        const it = id && this.app.store.region(id);
        if (this.mine(it)) this.draw(it);
      }
      return;
    }
    if (!this.mine(c.item)) return;
    if (c.type === 'remove') {
      this.segs.get(c.item.id)?.remove();
      this.segs.delete(c.item.id);
    } else this.draw(c.item);
  }
}
