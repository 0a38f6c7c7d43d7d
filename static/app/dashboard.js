// Project dashboard: /api/projects/{id}/stats/ drawn as inline SVG charts.
import { api, pageData, flash } from './api.js';
import { lineChart, barChart, heatMap, empty, PALETTE } from './charts.js';
import { parseConfig, optionResultValue } from '../labeling/config.js';
import { cssColor, paletteColor } from '../labeling/ui/dom.js';

const page = pageData('page-data');
const projectId = page.project.id;
const put = (id, node) => document.querySelector(`#${id} .chart-body`).replaceChildren(node);
// control -> label -> colour, as the labeling interface paints them: the config's `background`,
// else the same palette colour by position (labeling.js assignColors)
function labelColors(xml) {
  const out = new Map();
  let config;
  try { config = parseConfig(xml || '<View/>'); } catch (err) { return out; }
  let i = 0;
  for (const c of config.controls) {
    const colors = new Map();
    for (const o of c.options) colors.set(optionResultValue(o), cssColor(o.background, paletteColor(i++)));
    out.set(c.name, colors);
  }
  return out;
}
const COLORS = labelColors(page.project.label_config);

const pct = (v) => (v == null ? '–' : `${Math.round(v * 100)}%`);
const secs = (v) => (v == null ? '–' : v >= 90 ? `${(v / 60).toFixed(1)} min` : `${v.toFixed(1)} s`);

function days(progress, n) {
  // fill missing days with zeros so the x axis is time, not just the days with work
  const byDay = new Map(progress.map((p) => [p.date, p]));
  const out = [];
  const end = new Date();
  const first = progress.length ? new Date(progress[0].date) : end;
  const start = new Date(Math.max(first.getTime(), end.getTime() - (n - 1) * 86400000));
  for (let d = new Date(start); d <= end; d = new Date(d.getTime() + 86400000)) {
    const key = d.toISOString().slice(0, 10);
    out.push(byDay.get(key) || { date: key, completions: 0, skipped: 0 });
  }
  return out;
}

async function load() {
  const n = +document.getElementById('days').value;
  let stats;
  try {
    stats = await api(`/api/projects/${projectId}/stats/`, { query: { days: n } });
  } catch (err) {
    flash(`Could not load the statistics: ${err.message}`, 'error');
    return;
  }
  const t = stats.tasks || {};
  const annotators = stats.annotators || [];
  const total = annotators.reduce((s, a) => s + a.completions, 0);
  document.getElementById('kpi-tasks').textContent = t.total ?? 0;
  document.getElementById('kpi-labeled').textContent = t.total ? `${t.labeled} (${Math.round((100 * t.labeled) / t.total)}%)` : '0';
  document.getElementById('kpi-completions').textContent = total;
  document.getElementById('kpi-lead').textContent = secs(stats.median_lead_time);
  document.getElementById('kpi-agreement').textContent = pct(stats.agreement?.agreement);

  const series = days(stats.progress || [], n);
  let cumulative = 0;
  const cum = series.map((p) => (cumulative += p.completions));
  put('chart-progress', series.length && (stats.progress || []).length ? lineChart({
    labels: series.map((p) => p.date.slice(5)),
    series: [
      { name: 'completions (total)', values: cum, area: true, color: PALETTE[0] },
      { name: 'per day', values: series.map((p) => p.completions), color: PALETTE[1] },
      { name: 'skipped', values: series.map((p) => p.skipped), color: '#9ca3af' },
    ],
    label: 'Completions over time',
  }) : empty('No completions in this period.'));

  put('chart-throughput', barChart({
    items: annotators.map((a) => ({ label: a.username, value: a.completions, note: `${a.completions_per_day}/day, ${a.skipped} skipped` })),
    label: 'Completions per annotator',
  }));
  put('chart-lead', barChart({
    items: annotators.filter((a) => a.median_lead_time != null).map((a) => ({ label: a.username, value: Math.round(a.median_lead_time * 10) / 10 })),
    unit: ' s', color: PALETTE[3], label: 'Median lead time per annotator',
  }));

  const names = new Map(annotators.map((a) => [a.user, a.username]));
  const ids = (stats.agreement?.annotators || []).filter((id) => names.has(id) || page.members?.[id]);
  const label = (id) => names.get(id) || page.members?.[id] || `user ${id}`;
  const scores = new Map();
  for (const row of stats.agreement?.matrix || []) {
    scores.set(`${row.a}:${row.b}`, row.score);
    scores.set(`${row.b}:${row.a}`, row.score);
  }
  const byName = new Map(ids.map((id) => [label(id), id]));
  put('chart-agreement', heatMap({
    names: ids.map(label),
    value: (a, b) => scores.get(`${byName.get(a)}:${byName.get(b)}`) ?? null,
    label: 'Agreement matrix',
  }));

  const dist = stats.label_distribution || {};
  const wrap = document.createElement('div');
  wrap.className = 'label-dist';
  for (const [control, { labels }] of Object.entries(dist)) {
    const h = document.createElement('h3');
    h.textContent = control;
    wrap.append(h, barChart({
      items: Object.entries(labels).slice(0, 20).map(([l, v], i) => ({ label: l, value: v, color: COLORS.get(control)?.get(l) || PALETTE[i % PALETTE.length] })),
      width: 1100, label: `Labels of ${control}`,
    }));
  }
  put('chart-labels', wrap.childElementCount ? wrap : empty('No labels yet.'));
}

document.getElementById('days').addEventListener('change', load);
load();
