// Video object: a frame-accurate player (step a frame with , and . or the buttons (Alt+←/→ move between tasks in the stream), jump to a
// frame, 0.25–4× speed, requestVideoFrameCallback where the browser has it) and a timeline of the
// regions. VideoRectangle tracks (Label Studio's videorectangle: keyframes + linear interpolation,
// see ../tracks.js) are drawn over the picture; TimelineLabels ranges are dragged on the timeline.
import { h, drag } from '../ui/dom.js';
import { buildItem, labelsOf } from '../result.js';
import { clamp } from '../geometry.js';
import { boxAt, setKeyframe, toggleAt, frameAt, timeOf } from '../tracks.js';
import { tags as labelTags } from './labels.js';

const SPEEDS = [0.25, 0.5, 1, 1.5, 2, 4];
const r4 = (v) => Math.round(v * 1e4) / 1e4;

export const tags = {
  Video: { render: (node, app) => new VideoView(node, app).el },
  VideoRectangle: { render: (control, app) => trackTool(control, app) },
  TimelineLabels: labelTags.Labels, // a label palette; ranges are dragged on the video's timeline
};

class VideoView {
  constructor(node, app) {
    this.node = node;
    this.app = app;
    this.name = node.name;
    this.fps = Number(node.attrs.frameRate || node.attrs.framerate) || 24;
    this.frame = 1;
    this.duration = 0;
    this.video = h('video', { class: 'ls-video-element', preload: 'auto', playsinline: true });
    this.video.muted = node.attrs.muted === 'true' || node.attrs.sync != null;
    this.overlay = h('div', { class: 'ls-video-overlay', 'data-name': node.name });
    this.stage = h('div', { class: 'ls-video-stage' }, this.video, this.overlay);
    const btn = (cls, text, title, fn) => h('button', { type: 'button', class: `ls-btn ${cls}`, text, title, onClick: fn });
    this.playBtn = btn('ls-video-play', '▶', 'Play / pause', () => this.toggle());
    this.frameInput = h('input', { type: 'number', min: '1', class: 'ls-video-frame', 'aria-label': 'Frame', value: '1' });
    this.frameInput.addEventListener('change', () => this.seekFrame(Number(this.frameInput.value)));
    this.total = h('span', { class: 'ls-video-total', text: '/ 0' });
    this.speed = h('select', { class: 'ls-video-speed', 'aria-label': 'Speed' }, SPEEDS.map((v) => h('option', { value: String(v), text: `${v}×`, selected: v === 1 })));
    this.speed.addEventListener('change', () => { this.video.playbackRate = Number(this.speed.value); });
    this.toggleBtn = btn('ls-video-toggle', 'Track on/off here', 'Switch the selected track off (or on) from this frame', () => this.toggleTrack());
    this.timeline = h('div', { class: 'ls-video-timeline', style: { height: `${Number(node.attrs.timelineHeight) || 64}px` } });
    this.cursor = h('div', { class: 'ls-video-cursor' });
    this.timeline.append(this.cursor);
    this.el = h('div', { class: 'ls-object ls-video', 'data-name': node.name },
      this.stage,
      h('div', { class: 'ls-video-controls' }, btn('ls-video-prev', '◀|', 'Previous frame (,)', () => this.step(-1)), this.playBtn,
        btn('ls-video-next', '|▶', 'Next frame (.)', () => this.step(1)), h('span', { text: 'Frame' }), this.frameInput, this.total, this.speed, this.toggleBtn),
      this.timeline);
    app.objects.set(node.name, this);
    const src = app.resolve(node.attrs.value);
    if (src) this.video.src = String(src);
    this.video.addEventListener('loadedmetadata', () => { this.duration = this.video.duration || 0; this.redraw(); });
    this.video.addEventListener('seeked', () => this.sync());
    this.video.addEventListener('timeupdate', () => this.sync());
    this.video.addEventListener('play', () => { this.playBtn.textContent = '❚❚'; this.watch(); });
    this.video.addEventListener('pause', () => { this.playBtn.textContent = '▶'; this.sync(); });
    this.overlay.addEventListener('pointerdown', (ev) => this.onPointerDown(ev));
    this.timeline.addEventListener('pointerdown', (ev) => this.onTimelineDown(ev));
    if (!app.readOnly) {
      app.hotkeys.add(',', () => this.step(-1), { description: 'Previous frame', group: 'Video' });
      app.hotkeys.add('.', () => this.step(1), { description: 'Next frame', group: 'Video' });
      app.hotkeys.add('[', () => this.markStart(), { description: 'Timeline range: start at this frame', group: 'Video' });
      app.hotkeys.add(']', () => this.markEnd(), { description: 'Timeline range: end at this frame (adds it)', group: 'Video' });
    }
    app.on(() => this.redraw());
  }

  get framesCount() { return Math.max(1, Math.round(this.duration * this.fps)); }

  toggle() { if (this.video.paused) this.video.play().catch(() => {}); else this.video.pause(); }

  // requestVideoFrameCallback gives the exact presented frame; else follow animation frames.
  watch() {
    const v = this.video;
    if (v.requestVideoFrameCallback) {
      const onFrame = (_now, meta) => { this.sync(meta.mediaTime); if (!v.paused) v.requestVideoFrameCallback(onFrame); };
      v.requestVideoFrameCallback(onFrame);
    } else {
      const loop = () => { this.sync(); if (!v.paused) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
    }
  }

  step(delta) {
    this.video.pause();
    this.seekFrame(this.frame + delta);
  }

  seekFrame(n) {
    const f = clamp(Math.round(n) || 1, 1, this.framesCount);
    this.frame = f;
    try { this.video.currentTime = timeOf(f, this.fps); } catch (e) { /* not loaded yet */ }
    this.redraw();
  }

  sync(mediaTime) {
    const t = mediaTime ?? this.video.currentTime ?? 0;
    if (!this.video.paused || mediaTime != null) this.frame = Math.min(frameAt(t, this.fps), this.framesCount);
    this.redraw();
  }

  tracks() { return this.app.store.items.filter((it) => it.to_name === this.name && it.type === 'videorectangle'); }
  ranges() { return this.app.store.items.filter((it) => it.to_name === this.name && it.type === 'timelinelabels'); }

  trackControl() {
    const active = this.app.getActive(this.name);
    if (!active || this.app.readOnly) return null;
    const box = this.app.controlsFor(this.name).find((c) => c.tag === 'VideoRectangle');
    if (active.control.tag === 'VideoRectangle') return { control: active.control, labels: [] };
    if (active.control.tag === 'Labels' && box) return { control: box, labels: active.labels };
    return null;
  }

  pointAt(ev) {
    const r = this.overlay.getBoundingClientRect();
    return { x: clamp(((ev.clientX - r.left) / (r.width || 1)) * 100, 0, 100), y: clamp(((ev.clientY - r.top) / (r.height || 1)) * 100, 0, 100) };
  }

  onPointerDown(ev) {
    if (ev.button !== 0) return;
    ev.preventDefault();
    const boxEl = ev.target.closest('.ls-video-box');
    if (boxEl) return this.moveBox(ev, boxEl.dataset.id, ev.target.classList.contains('ls-video-handle'));
    const tool = this.trackControl();
    if (!tool) { this.app.store.select(null); return; }
    const p0 = this.pointAt(ev);
    const ghost = h('div', { class: 'ls-video-box ls-draft' });
    this.overlay.append(ghost);
    let rect = null;
    drag(ev, (e) => {
      const p = this.pointAt(e);
      rect = { x: Math.min(p0.x, p.x), y: Math.min(p0.y, p.y), width: Math.abs(p.x - p0.x), height: Math.abs(p.y - p0.y), rotation: 0 };
      place(ghost, rect);
    }, () => {
      ghost.remove();
      if (!rect || rect.width < 0.5 || rect.height < 0.5) return;
      const value = { framesCount: this.framesCount, duration: r4(this.duration), sequence: setKeyframe([], this.frame, rect, { fps: this.fps }) };
      if (tool.labels.length) value.labels = [...tool.labels];
      this.app.addRegion(buildItem({ from_name: tool.control.name, to_name: this.name, type: 'videorectangle', value }));
    });
  }

  // Dragging a box (or its corner handle) at any frame writes a keyframe there.
  moveBox(ev, id, resize) {
    const item = this.app.store.region(id);
    this.app.store.select(id);
    if (!item || this.app.readOnly) return;
    const start = boxAt(item.value.sequence, this.frame);
    if (!start) return;
    const p0 = this.pointAt(ev);
    let next = start;
    drag(ev, (e) => {
      const p = this.pointAt(e);
      const dx = p.x - p0.x; const dy = p.y - p0.y;
      next = resize
        ? { ...start, width: clamp(start.width + dx, 0.5, 100 - start.x), height: clamp(start.height + dy, 0.5, 100 - start.y) }
        : { ...start, x: clamp(start.x + dx, 0, 100 - start.width), y: clamp(start.y + dy, 0, 100 - start.height) };
      const el = this.overlay.querySelector(`.ls-video-box[data-id="${CSS.escape(id)}"]`);
      if (el) place(el, next);
    }, () => {
      if (next === start) return;
      this.app.updateRegion(id, item.from_name, (old) => ({ ...old, value: { ...old.value, sequence: setKeyframe(old.value.sequence, this.frame, next, { fps: this.fps }) } }));
    });
  }

  toggleTrack() {
    const item = this.app.selectedRegion();
    if (!item || item.type !== 'videorectangle' || this.app.readOnly) return;
    this.app.updateRegion(item.id, item.from_name, (old) => ({ ...old, value: { ...old.value, sequence: toggleAt(old.value.sequence, this.frame, this.fps) } }));
  }

  frameOnTimeline(ev) {
    const r = this.timeline.getBoundingClientRect();
    return clamp(Math.floor(((ev.clientX - r.left) / (r.width || 1)) * this.framesCount) + 1, 1, this.framesCount);
  }

  onTimelineDown(ev) {
    if (ev.button !== 0) return;
    ev.preventDefault();
    const hit = ev.target.closest('[data-id]');
    if (hit) this.app.store.select(hit.dataset.id);
    const active = this.app.getActive(this.name);
    const f0 = this.frameOnTimeline(ev);
    if (hit || !active || active.control.tag !== 'TimelineLabels' || this.app.readOnly) return this.seekFrame(f0);
    let f1 = f0;
    const ghost = h('div', { class: 'ls-video-range ls-draft' });
    this.timeline.append(ghost);
    drag(ev, (e) => { f1 = this.frameOnTimeline(e); this.placeRange(ghost, Math.min(f0, f1), Math.max(f0, f1), 0); }, () => {
      ghost.remove();
      const value = { ranges: [{ start: Math.min(f0, f1), end: Math.max(f0, f1) }], timelinelabels: [...active.labels] };
      this.app.addRegion(buildItem({ from_name: active.control.name, to_name: this.name, type: 'timelinelabels', value }));
      this.seekFrame(f1);
    });
  }

  // By key: with a TimelineLabels label active, [ marks the start, ] adds the range up to this frame.
  markStart() {
    const active = this.app.getActive(this.name);
    if (!active || active.control.tag !== 'TimelineLabels') return false;
    this.rangeStart = this.frame;
    this.el.dataset.rangeStart = String(this.frame);
    return true;
  }

  markEnd() {
    const active = this.app.getActive(this.name);
    if (!active || active.control.tag !== 'TimelineLabels' || this.rangeStart == null) return false;
    const [start, end] = [Math.min(this.rangeStart, this.frame), Math.max(this.rangeStart, this.frame)];
    this.rangeStart = null;
    delete this.el.dataset.rangeStart;
    const value = { ranges: [{ start, end }], timelinelabels: [...active.labels] };
    this.app.addRegion(buildItem({ from_name: active.control.name, to_name: this.name, type: 'timelinelabels', value }));
    return true;
  }

  placeRange(el, start, end, lane) {
    const n = this.framesCount;
    el.style.left = `${((start - 1) / n) * 100}%`;
    el.style.width = `${Math.max(((end - start + 1) / n) * 100, 0.3)}%`;
    el.style.top = `${4 + lane * 14}px`;
  }

  redraw() {
    this.frameInput.value = String(this.frame);
    this.total.textContent = `/ ${this.duration ? this.framesCount : 0}`;
    this.el.dataset.frame = String(this.frame);
    const selected = this.app.store.selectedId;
    this.overlay.querySelectorAll('.ls-video-box:not(.ls-draft)').forEach((el) => el.remove());
    this.timeline.querySelectorAll('.ls-video-lane').forEach((el) => el.remove());
    const regions = [...this.tracks(), ...this.ranges()];
    regions.forEach((it, lane) => {
      const color = this.app.colorFor(it);
      const hidden = this.app.store.isHidden?.(it.id);
      if (it.type === 'videorectangle') {
        const box = boxAt(it.value.sequence, this.frame);
        if (box && !hidden) {
          const el = h('div', { class: 'ls-video-box ls-region', 'data-id': it.id, style: { '--ls-color': color } },
            h('span', { class: 'ls-video-boxlabel', text: labelsOf(it).join(', ') }), h('span', { class: 'ls-video-handle' }));
          el.classList.toggle('ls-selected', selected === it.id);
          el.classList.toggle('ls-keyframe', box.keyframe);
          el.classList.toggle('ls-off', !box.enabled);
          place(el, box);
          this.overlay.append(el);
        }
        const seq = [...it.value.sequence].sort((a, b) => a.frame - b.frame);
        seq.forEach((k, i) => {
          const end = k.enabled === false ? k.frame : (seq[i + 1]?.frame ?? this.framesCount);
          const span = h('div', { class: 'ls-video-lane ls-video-span', 'data-id': it.id, style: { '--ls-color': color } });
          this.placeRange(span, k.frame, end, lane);
          const tick = h('div', { class: 'ls-video-lane ls-video-keyframe', 'data-id': it.id, 'data-frame': String(k.frame), style: { '--ls-color': color } });
          this.placeRange(tick, k.frame, k.frame, lane);
          this.timeline.append(span, tick);
        });
      } else {
        for (const r of it.value.ranges || []) {
          const el = h('div', { class: 'ls-video-lane ls-video-range ls-region', 'data-id': it.id, style: { '--ls-color': color }, title: labelsOf(it).join(', ') });
          el.classList.toggle('ls-selected', selected === it.id);
          this.placeRange(el, r.start, r.end, lane);
          this.timeline.append(el);
        }
      }
    });
    this.cursor.style.left = `${((this.frame - 0.5) / this.framesCount) * 100}%`;
  }
}

function place(el, b) {
  el.style.left = `${b.x}%`;
  el.style.top = `${b.y}%`;
  el.style.width = `${b.width}%`;
  el.style.height = `${b.height}%`;
}

function trackTool(control, app) {
  const btn = h('button', { type: 'button', class: 'ls-btn ls-tool', 'data-tool': 'videorectangle', 'data-control': control.name, disabled: app.readOnly, text: 'Track box' });
  btn.addEventListener('click', () => {
    const active = app.getActive(control.toName[0]);
    app.setActive(control, active && active.control === control ? null : true);
  });
  app.onTool(() => {
    const active = app.getActive(control.toName[0]);
    btn.classList.toggle('ls-selected', !!(active && active.control === control));
  });
  return h('div', { class: 'ls-control ls-tools', 'data-name': control.name }, btn);
}
