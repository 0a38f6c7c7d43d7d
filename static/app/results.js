// Short, comparable one-line descriptions of result items (compare view, review queue).
export const r1 = (n) => (typeof n === 'number' ? Math.round(n * 10) / 10 : n);
const labelsOf = (v) => Object.entries(v || {}).find(([k, x]) => /labels$/.test(k) && Array.isArray(x))?.[1] || [];

/** One short, comparable line per result item: same meaning -> same text. */
export function describe(item) {
  const v = item.value || {};
  const name = item.from_name;
  const type = (item.type || '').toLowerCase();
  const labels = labelsOf(v).join(', ');
  if (type === 'choices' || type === 'taxonomy') return (v.choices || v.taxonomy || []).map((c) => `${name}: ${[].concat(c).join(' / ')}`);
  if (type === 'textarea') return (v.text || []).map((t) => `${name}: “${t}”`);
  if (type === 'rating') return [`${name}: ${'★'.repeat(v.rating || 0)} (${v.rating})`];
  if (type === 'number') return [`${name}: ${v.number}`];
  if (type === 'pairwise') return [`${name}: ${v.selected}`];
  if (type === 'ranker') return [`${name}: ${JSON.stringify(v.ranker)}`];
  if (type === 'videorectangle') {
    const seq = [...(v.sequence || [])].sort((a, b) => a.frame - b.frame);
    const at = (k) => `${k.frame}@(${Math.round(k.x)}, ${Math.round(k.y)}) ${Math.round(k.width)}×${Math.round(k.height)}${k.enabled === false ? ' off' : ''}`;
    return [`${name}: ${labels} track, keyframes ${seq.map(at).join(' → ')}`];
  }
  if (type === 'timelinelabels') return (v.ranges || []).map((r) => `${name}: ${labels} frames ${r.start}–${r.end}`);
  if (type === 'timeserieslabels') return [`${name}: ${labels} ${v.instant ? `instant ${r1(v.start)}` : `${r1(v.start)} – ${r1(v.end)}`}`];
  if ('start' in v && 'end' in v && typeof v.start === 'number' && !('text' in v) ) return [`${name}: ${labels} ${r1(v.start)}–${r1(v.end)}s`];
  if ('text' in v && 'start' in v) return [`${name}: ${labels} “${v.text}”`];
  if ('points' in v) return [`${name}: ${labels} polygon, ${v.points.length} points near (${r1(avg(v.points, 0))}, ${r1(avg(v.points, 1))})`];
  if ('width' in v && 'x' in v) return [`${name}: ${labels} box (${Math.round(v.x)}, ${Math.round(v.y)}) ${Math.round(v.width)}×${Math.round(v.height)}`];
  if ('x' in v && 'y' in v) return [`${name}: ${labels} point (${Math.round(v.x)}, ${Math.round(v.y)})`];
  const rest = { ...v };
  return [`${name}: ${JSON.stringify(rest)}`];
}
const avg = (pts, i) => pts.reduce((s, p) => s + p[i], 0) / (pts.length || 1);

