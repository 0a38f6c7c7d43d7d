// Span snapping for `granularity` on Text/HyperText or their Labels control (Label Studio's
// symbol | word | sentence | paragraph): a selection [start, end) grows to whole units, then loses
// its surrounding white space. DOM-free.

const WORD = /[\p{L}\p{N}_'’-]/u;
const SENTENCE_END = /[.!?…]/;

/** [start, end) of `text` snapped to `granularity`; null when nothing but white space is left. */
export function snapSpan(text, start, end, granularity = 'symbol') {
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  if (granularity === 'word') {
    while (start > 0 && WORD.test(text[start - 1])) start--;
    while (end < text.length && WORD.test(text[end])) end++;
  } else if (granularity === 'sentence') {
    // back to just after the previous sentence end (followed by white space) or a line break
    while (start > 0 && !(text[start - 1] === '\n' || (/\s/.test(text[start - 1]) && start > 1 && SENTENCE_END.test(text[start - 2])))) start--;
    // forward through the sentence's end mark (and closing quotes/brackets), or to a line break
    while (end < text.length && text[end] !== '\n' && !(end > start && SENTENCE_END.test(text[end - 1]) && /\s/.test(text[end]))) end++;
  } else if (granularity === 'paragraph') {
    while (start > 0 && text[start - 1] !== '\n') start--;
    while (end < text.length && text[end] !== '\n') end++;
  }
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end, text: text.slice(start, end) } : null;
}
