// Build and read result items in Label Studio's JSON shape. DOM-free.
import { round } from './geometry.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export function makeId(len = 10) {
  let s = '';
  const c = globalThis.crypto;
  const bytes = c && c.getRandomValues ? c.getRandomValues(new Uint8Array(len)) : null;
  for (let i = 0; i < len; i++) s += ALPHABET[(bytes ? bytes[i] : Math.floor(Math.random() * 256)) & 63];
  return s;
}

/** The key inside `value` that holds the control's payload, per result type. */
export const PAYLOAD_KEY = {
  choices: 'choices', textarea: 'text', rating: 'rating', number: 'number', datetime: 'datetime',
  taxonomy: 'taxonomy', ranker: 'ranker', pairwise: 'selected',
  labels: 'labels', rectanglelabels: 'rectanglelabels', polygonlabels: 'polygonlabels', keypointlabels: 'keypointlabels',
  ellipselabels: 'ellipselabels', paragraphlabels: 'paragraphlabels', hypertextlabels: 'hypertextlabels', brushlabels: 'brushlabels',
  videorectangle: 'labels', timelinelabels: 'timelinelabels', timeserieslabels: 'timeserieslabels',
  ocrlabels: 'ocrlabels',
};

export const REGION_TYPES = new Set([
  'labels', 'rectanglelabels', 'rectangle', 'polygonlabels', 'polygon', 'keypointlabels', 'keypoint',
  'ellipselabels', 'ellipse', 'paragraphlabels', 'hypertextlabels', 'brushlabels', 'brush',
  'videorectangle', 'timelinelabels', 'timeserieslabels', 'ocrlabels',
  'chatmessage',
]);
export const LABEL_TYPES = new Set(['labels', 'rectanglelabels', 'polygonlabels', 'keypointlabels', 'ellipselabels', 'paragraphlabels', 'hypertextlabels',
  'brushlabels', 'timelinelabels', 'timeserieslabels', 'ocrlabels']);
/** Shape type for a region control type ("rectanglelabels" -> "rectangle"). */
export const shapeOf = (type) => (type === 'ocrlabels' ? 'rectangle' : type.replace(/labels$/, '') || 'labels');

export const isRegion = (item) => REGION_TYPES.has(item.type);
export const payloadKey = (type) => PAYLOAD_KEY[type] || type;

/** Labels carried by a region item (empty for Rectangle/Polygon/... without labels). */
export function labelsOf(item) {
  if (!item || !item.value) return [];
  // Label Studio itself writes HyperTextLabels labels under "htmllabels"; accept both.
  const v = item.value[payloadKey(item.type)] ?? (item.type === 'hypertextlabels' ? item.value.htmllabels : undefined);
  return Array.isArray(v) ? v : [];
}

export function withLabels(item, labels) {
  if (!LABEL_TYPES.has(item.type)) return item;
  return { ...item, value: { ...item.value, [payloadKey(item.type)]: [...labels] } };
}

/** Generic item builder. */
export function buildItem({ id, from_name, to_name, type, value, origin = 'manual', extra }) {
  const item = { id: id || makeId(), from_name, to_name, type, value };
  if (extra) Object.assign(item, extra);
  item.origin = origin;
  return item;
}

const r4 = (v) => round(v, 4);

/** Payload of a classification control -> value object. */
export function classificationValue(type, payload) {
  switch (type) {
    case 'choices': return { choices: [...payload] };
    case 'textarea': return { text: [...payload] };
    case 'rating': return { rating: Number(payload) };
    case 'number': return { number: Number(payload) };
    case 'datetime': return { datetime: String(payload) };
    case 'taxonomy': return { taxonomy: payload.map((p) => [...p]) };
    case 'ranker': return { ranker: JSON.parse(JSON.stringify(payload)) };
    case 'pairwise': return { selected: payload };
    default: return { [payloadKey(type)]: payload };
  }
}

/** Geometry part of a region value (everything except the labels key). */
export function regionGeometry(item) {
  const v = { ...(item.value || {}) };
  delete v[payloadKey(item.type)];
  return v;
}

/** Region value for a shape (percent units) + labels. */
export function regionValue(type, geom, labels) {
  const shape = shapeOf(type);
  let v;
  switch (shape) {
    case 'rectangle': v = { x: r4(geom.x), y: r4(geom.y), width: r4(geom.width), height: r4(geom.height), rotation: r4(geom.rotation || 0) }; break;
    case 'polygon': v = { points: geom.points.map(([x, y]) => [r4(x), r4(y)]) }; break;
    case 'keypoint': v = { x: r4(geom.x), y: r4(geom.y), width: r4(geom.width ?? 0.5) }; break;
    case 'ellipse': v = { x: r4(geom.x), y: r4(geom.y), radiusX: r4(geom.radiusX), radiusY: r4(geom.radiusY), rotation: r4(geom.rotation || 0) }; break;
    default: v = { ...geom };
  }
  if (LABEL_TYPES.has(type)) v[payloadKey(type)] = [...(labels || [])];
  return v;
}

/** Image region item with the image size fields Label Studio puts on the item. */
export function imageRegionItem({ control, toName, geom, labels, image, id, origin }) {
  return buildItem({
    id, from_name: control, to_name: toName, type: image.type, value: regionValue(image.type, geom, labels), origin,
    extra: { original_width: image.width, original_height: image.height, image_rotation: image.rotation || 0 },
  });
}

/** Text span: character offsets into the text and the covered text. */
export function textSpanItem({ control, toName, start, end, text, labels, id, origin, type = 'labels' }) {
  return buildItem({ id, from_name: control, to_name: toName, type, value: { start, end, text, [payloadKey(type)]: [...labels] }, origin });
}

/** Audio segment (seconds). */
export function audioSegmentItem({ control, toName, start, end, channel, labels, id, origin, duration }) {
  const value = { start: round(start, 4), end: round(end, 4) };
  if (channel != null) value.channel = channel;
  value.labels = [...labels];
  const extra = duration ? { original_length: duration } : undefined;
  return buildItem({ id, from_name: control, to_name: toName, type: 'labels', value, origin, extra });
}

/** Per-region classification: shares the region's id and copies its geometry. */
export function perRegionItem({ control, type, region, payload, origin = 'manual' }) {
  const extra = {};
  for (const k of ['original_width', 'original_height', 'image_rotation', 'original_length', 'item_index']) if (k in region) extra[k] = region[k];
  return buildItem({
    id: region.id, from_name: control, to_name: region.to_name, type,
    value: { ...regionGeometry(region), ...classificationValue(type, payload) }, origin, extra,
  });
}

export function relationItem({ from_id, to_id, labels = [], direction = 'right' }) {
  return { from_id, to_id, type: 'relation', direction, labels: [...labels] };
}

/** Payload of a classification item (choices array, text array, number...). */
export function payloadOf(item) {
  return item && item.value ? item.value[payloadKey(item.type)] : undefined;
}

const clone = (x) => JSON.parse(JSON.stringify(x));

/**
 * Read result items from a completion or prediction. Unknown fields are kept
 * verbatim so that an unchanged completion serializes back to the same JSON.
 * Items from predictions are marked origin "prediction".
 */
export function readResult(result, { fromPrediction = false } = {}) {
  return (result || []).map((raw) => {
    const it = clone(raw);
    if (it.type === 'relation') return it;
    if (fromPrediction) it.origin = it.origin && it.origin !== 'manual' ? it.origin : 'prediction';
    if (!it.id) it.id = makeId();
    return it;
  });
}

/** Items -> submitted JSON (deep copies, internal flags removed). */
export function serialize(items) {
  return items.map((it) => {
    const out = clone(it);
    for (const k of Object.keys(out)) if (k.startsWith('_')) delete out[k];
    return out;
  });
}

/** Required-control check; returns a list of {control, message}. */
export function validate(config, items, { isActive = () => true } = {}) {
  const errors = [];
  for (const c of config.controls) {
    if (!c.required || !isActive(c)) continue;
    const mine = items.filter((it) => it.from_name === c.name);
    if (c.perRegion) {
      const regions = items.filter((it) => isRegion(it) && (!c.toName.length || c.toName.includes(it.to_name)));
      const missing = regions.filter((r) => !mine.some((m) => m.id === r.id && !isEmptyPayload(m)));
      if (missing.length) errors.push({ control: c.name, message: c.attrs.requiredMessage || `"${c.name}" is required for every region` });
    } else if (!mine.some((m) => !isEmptyPayload(m))) {
      errors.push({ control: c.name, message: c.attrs.requiredMessage || `"${c.name}" is required` });
    }
  }
  return errors;
}

function isEmptyPayload(item) {
  if (isRegion(item)) return false;
  const p = payloadOf(item);
  if (p == null || p === '') return true;
  if (Array.isArray(p)) return p.length === 0;
  if (typeof p === 'object') return Object.keys(p).length === 0;
  return false;
}
