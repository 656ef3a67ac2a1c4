/** Test inputs that are no text, as the new-user trial had them beside its case and Loki files. */

/** A PNG's first bytes: the signature, an IHDR chunk and some image data with NULs (what image.csv held). */
export function png(): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66]);
  const body = Buffer.alloc(4000);
  for (let i = 0; i < body.length; i++) body[i] = i % 7 === 0 ? 0 : (i * 37) & 0xff;
  return Buffer.concat([sig, ihdr, body]);
}

/**
 * `n` random bytes (a fixed LCG, the same every run): NULs under 1 % of the first 4 KiB (no "NUL-heavy" binary), many
 * other control bytes and line ends — binary.log of the trial.
 */
export function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}
