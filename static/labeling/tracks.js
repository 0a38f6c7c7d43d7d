// Video tracks (Label Studio's videorectangle): keyframes {frame, time, x, y, width, height,
// rotation, enabled} and the box shown at any frame. DOM-free, node-tested.
//
// At frame f the box comes from the last keyframe k at or before f: none -> no box; k.frame == f
// -> k itself; k disabled (the track was switched off there) -> no box; otherwise linear
// interpolation towards the next keyframe, or k held to the end of the video when it is the last.
// This is the rule of Label Studio's editor and of its exporter (interpolate_key_frames).

const KEYS = ['x', 'y', 'width', 'height', 'rotation'];

export const sortedFrames = (sequence) => [...(sequence || [])].sort((a, b) => a.frame - b.frame);

/** {x, y, width, height, rotation, keyframe: bool} at `frame`, or null when the track is hidden there. */
export function boxAt(sequence, frame) {
  const seq = sortedFrames(sequence);
  let prev = null;
  let next = null;
  for (const k of seq) {
    if (k.frame <= frame) prev = k;
    else { next = k; break; }
  }
  if (!prev) return null;
  if (prev.frame === frame) return { ...pick(prev), keyframe: true, enabled: prev.enabled !== false };
  if (prev.enabled === false) return null;
  if (!next) return { ...pick(prev), keyframe: false, enabled: true };
  const t = (frame - prev.frame) / (next.frame - prev.frame);
  const out = { keyframe: false, enabled: true };
  for (const key of KEYS) out[key] = (prev[key] || 0) + ((next[key] || 0) - (prev[key] || 0)) * t;
  return out;
}

const pick = (k) => Object.fromEntries(KEYS.map((key) => [key, k[key] || 0]));

/**
 * The sequence with a keyframe at `frame` set to `box` (added or replaced), sorted by frame.
 * Editing any frame of a track this way turns it into a keyframe, as in Label Studio.
 */
export function setKeyframe(sequence, frame, box, { fps = 24, enabled } = {}) {
  const old = (sequence || []).find((k) => k.frame === frame);
  const here = boxAt(sequence, frame);
  const keep = enabled ?? (old ? old.enabled !== false : true);
  const key = {
    frame, time: round(frame / fps, 6), // Label Studio writes time = frame / frameRate
    x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height), rotation: round(box.rotation || here?.rotation || 0),
    enabled: keep,
  };
  return sortedFrames([...(sequence || []).filter((k) => k.frame !== frame), key]);
}

/** Switch the track off (or on) from `frame`: that frame becomes a keyframe with enabled false/true. */
export function toggleAt(sequence, frame, fps = 24) {
  const box = boxAt(sequence, frame) || boxAt(sequence, lastFrameBefore(sequence, frame));
  if (!box) return sequence;
  return setKeyframe(sequence, frame, box, { fps, enabled: !box.enabled || !boxAt(sequence, frame) });
}

function lastFrameBefore(sequence, frame) {
  const before = sortedFrames(sequence).filter((k) => k.frame <= frame);
  return before.length ? before[before.length - 1].frame : -1;
}

const round = (v, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Frame number (1-based, as Label Studio counts) shown at time t seconds. */
export const frameAt = (t, fps) => Math.max(1, Math.floor(t * fps + 1e-6) + 1);
/** The middle of frame n, a safe seek target. */
export const timeOf = (n, fps) => (n - 1 + 0.5) / fps;
