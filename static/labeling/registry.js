// Tag name -> renderer module. One module per tag family under tags/.
import { tags as layout } from './tags/layout.js';
import { tags as text } from './tags/text.js';
import { tags as image } from './tags/image.js';
import { tags as audio } from './tags/audio.js';
import { tags as paragraphs } from './tags/paragraphs.js';
import { tags as table } from './tags/table.js';
import { tags as choices } from './tags/choices.js';
import { tags as labels } from './tags/labels.js';
import { tags as textarea } from './tags/textarea.js';
import { tags as rating } from './tags/rating.js';
import { tags as number } from './tags/number.js';
import { tags as pairwise } from './tags/pairwise.js';
import { tags as taxonomy } from './tags/taxonomy.js';
import { tags as ranker } from './tags/ranker.js';
import { tags as brush } from './tags/brush.js';
import { tags as video } from './tags/video.js';
import { tags as timeseries } from './tags/timeseries.js';
import { tags as pdf } from './tags/pdf.js';
import { tags as chat } from './tags/chat.js';
import { tags as visual } from './tags/visual.js';

const REGISTRY = new Map();
for (const family of [layout, text, image, audio, paragraphs, table, choices, labels, textarea, rating, number, pairwise, taxonomy, ranker, brush, video, timeseries, pdf, chat, visual]) {
  for (const [name, mod] of Object.entries(family)) REGISTRY.set(name, mod);
}

export const getTag = (name) => REGISTRY.get(name) || null;
export const registerTag = (name, mod) => REGISTRY.set(name, mod);
export const knownTags = () => [...REGISTRY.keys()];
