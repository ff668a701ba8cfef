/**
 * mulberry32: a small deterministic pseudo-random generator in [0, 1). The same seed gives the same sequence, so a
 * generated test case that fails keeps failing, and a seeded fuzz test names the inputs it disagrees on.
 */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
