// Timing of Paragraphs phrases linked to audio (audioUrl / sync): each phrase may carry `start`
// and `end` (or `duration`) in seconds. DOM-free so node tests can check it.

/** [{start, end}] per phrase (null when the phrase has no usable start). */
export function phraseTimes(list) {
  return (Array.isArray(list) ? list : []).map((p, i, all) => {
    const start = Number(p?.start);
    if (p?.start == null || p.start === '' || !Number.isFinite(start)) return null;
    let end = Number(p?.end);
    if (p?.end == null || !Number.isFinite(end)) {
      const d = Number(p?.duration);
      if (p?.duration != null && Number.isFinite(d)) end = start + d;
      else {
        const next = Number(all[i + 1]?.start);
        end = all[i + 1]?.start != null && Number.isFinite(next) ? next : Infinity;
      }
    }
    return { start, end: Math.max(start, end) };
  });
}

/** Index of the phrase playing at time `t` (the last one started when several overlap), or -1. */
export function phraseAt(times, t) {
  let found = -1;
  times.forEach((r, i) => {
    if (r && t >= r.start && t < r.end) found = i;
  });
  return found;
}
