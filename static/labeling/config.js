// Labeling config reader: parse XML into a small tag tree, find objects and
// controls, summarize them, and evaluate visibleWhen / perRegion. DOM-free.
import { MiniDOMParser } from './xml.js';
import { expandRepeaters } from './repeater.js';

export const OBJECT_TAGS = new Set(['Text', 'HyperText', 'Image', 'Audio', 'Paragraphs', 'Table', 'List', 'Video', 'TimeSeries', 'Pdf', 'Chat']);
export const CONTROL_TAGS = new Set([
  'Choices', 'Taxonomy', 'TextArea', 'Rating', 'Number', 'DateTime', 'Pairwise', 'Ranker',
  'Labels', 'ParagraphLabels', 'HyperTextLabels', 'RectangleLabels', 'PolygonLabels', 'KeyPointLabels', 'EllipseLabels',
  'BrushLabels', 'Rectangle', 'Polygon', 'KeyPoint', 'Ellipse', 'Brush', 'MagicWand', 'VideoRectangle', 'TimelineLabels', 'TimeSeriesLabels',
  'OcrLabels',
]);
export const ITEM_TAGS = new Set(['Choice', 'Label', 'Relation', 'Bucket']);
export const VISUAL_TAGS = new Set(['View', 'Header', 'Style', 'Filter', 'Collapse', 'Panel', 'Markdown', 'Repeater', 'Shortcut']);
// Tag names are case-insensitive; HTML and AudioPlus are aliases (same rules as the Python reader).
const CANON = new Map([...OBJECT_TAGS, ...CONTROL_TAGS, ...ITEM_TAGS, ...VISUAL_TAGS, 'Relations', 'Channel'].map((t) => [t.toLowerCase(), t]));
CANON.set('html', 'HyperText');
CANON.set('audioplus', 'Audio');
export const canonicalTag = (t) => CANON.get(String(t).toLowerCase()) || t;
// Attribute names are case-insensitive too ("toname" == "toName"): map known ones to their camelCase.
const ATTRS = ('name toName value valueList valueType audioUrl visibleWhen whenTagName whenLabelValue whenChoiceValue perRegion perItem ' +
  'required requiredMessage hotkey showInline maxRating defaultValue nameKey textKey maxSubmissions leafsOnly maxUsages strokeWidth ' +
  'strokeColor fillColor fillOpacity canRotate maxWidth leftClass rightClass className selectedColor granularity placeholder alias ' +
  'background selected choice layout rows editable title size icon only min max step idAttr splitchannels ' +
  'whenRole llm minMessages maxMessages messageroles editable indexFlag mode ' +
  'frameRate timelineHeight muted sep timeColumn timeFormat timeDisplayFormat overviewChannels fixedScale column legend units displayFormat').split(' ');
const ATTR_CANON = new Map(ATTRS.map((a) => [a.toLowerCase(), a]));

export class ConfigError extends Error {
  constructor(message, line) {
    super(line ? `${message} (line ${line})` : message);
    this.name = 'ConfigError';
    this.line = line || null;
  }
}

const truthy = (v) => v === true || v === 'true' || v === '1' || v === 'yes';
export const splitNames = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);
const VAR_RE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

function toTree(el, parent) {
  const attrs = {};
  for (const a of Array.from(el.attributes || [])) attrs[ATTR_CANON.get(a.name.toLowerCase()) || a.name] = a.value;
  const node = { tag: canonicalTag(el.tagName || el.nodeName), attrs, children: [], parent, line: el.line || null, text: '' };
  let text = '';
  for (const c of Array.from(el.childNodes || [])) {
    if (c.nodeType === 1) node.children.push(toTree(c, node));
    else if (c.nodeType === 3 || c.nodeType === 4) text += c.data ?? c.textContent;
  }
  node.text = text.trim();
  return node;
}

export function walk(node, fn) {
  fn(node);
  for (const c of node.children) walk(c, fn);
}

function optionValue(n) {
  return n.attrs.value ?? n.text;
}

function collectOptions(ctrl) {
  // Label / Choice children in document order; Taxonomy nested Choices flattened.
  const out = [];
  const nested = ctrl.tag === 'Taxonomy' || (ctrl.tag === 'Choices' && truthy(ctrl.attrs.allowNested ?? ctrl.attrs.allownested));
  const visit = (n, path, parent = null) => {
    for (const c of n.children) {
      if (ITEM_TAGS.has(c.tag)) {
        const value = c.tag === 'Bucket' ? c.attrs.name : optionValue(c);
        const opt = { value, alias: c.attrs.alias ?? null, hotkey: c.attrs.hotkey ?? null, background: c.attrs.background ?? null,
          selected: truthy(c.attrs.selected), attrs: c.attrs, node: c, path: [...path, c.attrs.alias ?? value], children: [] };
        out.push(opt);
        parent?.children.push(opt);
        if (nested) visit(c, opt.path, opt); // Choices allowNested: results are paths, as Taxonomy's
      } else if (c.tag !== 'Choices' && !CONTROL_TAGS.has(c.tag)) {
        visit(c, path, parent); // labels grouped inside View wrappers still count
      }
    }
  };
  visit(ctrl, []);
  return out;
}

function taxonomyTree(ctrl) {
  const build = (n, path) => n.children.filter((c) => c.tag === 'Choice').map((c) => {
    const v = c.attrs.alias ?? optionValue(c);
    const p = [...path, v];
    return { value: optionValue(c), key: v, path: p, children: build(c, p) };
  });
  return build(ctrl, []);
}

/**
 * Parse the XML labeling config. options.DOMParser may be a DOMParser class
 * (browser's or a test stand-in); default is our own strict parser.
 */
export function parseConfig(xmlText, options = {}) {
  const Parser = options.DOMParser || MiniDOMParser;
  const doc = new Parser().parseFromString(String(xmlText || '').trim(), 'text/xml');
  const errNode = doc.getElementsByTagName?.('parsererror')?.[0];
  if (errNode) throw new ConfigError(`Invalid XML: ${errNode.textContent.trim()}`);
  const root = toTree(doc.documentElement, null);
  if (root.tag !== 'View') throw new ConfigError(`The root tag must be <View>, found <${root.tag}>`, root.line);
  if (options.data) expandRepeaters(root, (v) => resolveValue(v, options.data)); // <Repeater on="$array">
  const config = { root, objects: [], controls: [], byName: new Map(), relations: null, styles: [] };
  walk(root, (n) => {
    if (OBJECT_TAGS.has(n.tag)) {
      n.kind = 'object';
      n.name = n.attrs.name ?? null;
      config.objects.push(n);
      if (n.tag === 'Chat') chatAsControl(n, config); // a Chat is also the control of the messages added to it
    } else if (CONTROL_TAGS.has(n.tag)) {
      n.kind = 'control';
      n.name = n.attrs.name;
      n.type = n.tag.toLowerCase();
      n.toName = splitNames(n.attrs.toName);
      n.options = collectOptions(n);
      n.perRegion = truthy(n.attrs.perRegion);
      n.required = truthy(n.attrs.required);
      if (n.tag === 'Taxonomy') n.tree = taxonomyTree(n);
      config.controls.push(n);
    } else if (n.tag === 'Relations') {
      n.kind = 'relations';
      n.type = 'relation';
      n.options = collectOptions(n);
      config.relations = n;
    } else if (n.tag === 'Style') {
      config.styles.push(n.text);
    }
    if (n.name && n.kind) {
      if (config.byName.has(n.name)) throw new ConfigError(`Duplicate name "${n.name}" on <${n.tag}>`, n.line);
      config.byName.set(n.name, n);
    }
  });
  for (const c of config.controls) {
    for (const t of c.toName) {
      if (!config.byName.has(t)) throw new ConfigError(`<${c.tag} name="${c.name}"> toName "${t}" names no object`, c.line);
    }
  }
  return config;
}

function chatAsControl(n, config) {
  n.isControl = true;
  n.type = 'chatmessage';
  n.toName = n.name ? [n.name] : [];
  n.options = [];
  n.perRegion = false;
  n.required = false;
  config.controls.push(n);
}

/** Data keys read by the config: `$key` in value / valueList / audioUrl of objects, controls and Header; sorted. */
export function dataKeys(config) {
  const keys = new Set();
  walk(config.root, (n) => {
    if (!(n.kind === 'object' || n.kind === 'control' || n.kind === 'relations' || n.tag === 'Header' || n.tag === 'Markdown' || n.tag === 'Repeater')) return;
    for (const a of ['value', 'valueList', 'audioUrl', 'on']) {
      for (const m of String(n.attrs[a] || '').matchAll(VAR_RE)) keys.add(m[1]);
    }
  });
  return [...keys].sort();
}

/**
 * The canonical summary JSON shared with the Python reader (tests/data/configs/*.summary.json,
 * rules in docs/label-config.md): objects and controls (Relations included, name null) in
 * document order; labels are the stored values (alias when given, Bucket name).
 */
export function summarize(config) {
  const objects = [];
  const controls = [];
  walk(config.root, (n) => {
    if (n.kind === 'object') objects.push({ name: n.name, tag: n.tag, value: n.attrs.value || n.attrs.valueList || '' });
    if (n.isControl) controls.push({ name: n.name, tag: n.tag, type: n.type, toName: n.toName, labels: [] });
    else if (n.kind === 'control' || n.kind === 'relations') {
      controls.push({ name: n.attrs.name ?? null, tag: n.tag, type: n.type, toName: n.kind === 'relations' ? [] : n.toName, labels: n.options.map(optionResultValue) });
    }
  });
  return { objects, controls, dataKeys: dataKeys(config) };
}

/** Resolve "$key" (or "text with $key") against task data. */
export function resolveValue(value, data) {
  if (value == null) return value;
  const s = String(value);
  const whole = /^\$([A-Za-z_][\w]*)$/.exec(s);
  if (whole) return data ? data[whole[1]] : undefined;
  const path = /^\$([A-Za-z_]\w*)((?:\[\d+\]|\.[A-Za-z_]\w*)+)$/.exec(s); // $images[0].url (Repeater)
  if (path) {
    let got = data ? data[path[1]] : undefined;
    for (const m of path[2].matchAll(/\[(\d+)\]|\.(\w+)/g)) got = got == null ? undefined : got[m[1] ?? m[2]];
    return got;
  }
  return s.replace(VAR_RE, (m, k) => (data && data[k] != null ? String(data[k]) : m));
}

export const optionResultValue = (opt) => opt.alias || opt.value;

/**
 * visibleWhen evaluation. ctx: { choices(name) -> string[] (selected values),
 * allChoices() -> string[] , selectedRegion -> {from_name, labels:[]} | null }.
 */
export function isVisible(node, ctx) {
  const a = node.attrs || {};
  const when = a.visibleWhen;
  if (!when) return true;
  const tagName = a.whenTagName;
  const region = ctx.selectedRegion || null;
  const want = (s) => splitNames(s);
  const choiceSel = () => {
    const selected = tagName ? ctx.choices(tagName) : ctx.allChoices();
    if (a.whenChoiceValue) return want(a.whenChoiceValue).some((v) => selected.includes(v));
    return selected.length > 0;
  };
  switch (when) {
    case 'choice-selected': return choiceSel();
    case 'choice-unselected': return !choiceSel();
    case 'no-region-selected': return !region;
    case 'region-selected': {
      if (!region) return false;
      if (tagName && region.from_name !== tagName) return false;
      if (a.whenRole && !want(a.whenRole).includes(region.role)) return false;
      if (a.whenLabelValue) return want(a.whenLabelValue).some((v) => (region.labels || []).includes(v));
      return true;
    }
    default: return true;
  }
}

/** A perRegion control applies to the selected region (optionally of a given labels tag / label). */
export function perRegionApplies(control, region) {
  if (!region) return false;
  if (control.toName.length && region.to_name && !control.toName.includes(region.to_name)) return false;
  return true;
}
