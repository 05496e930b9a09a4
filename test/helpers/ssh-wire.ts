/** The SSH wire format (RFC 4251 §5), written independently of the code under test, to build keys and signatures by hand. */
export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** uint32 length, then the bytes (a string as latin1). */
export const str = (value: string | Buffer): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  return Buffer.concat([u32(bytes.length), bytes]);
};

/** Fields one after another, each as a `str`. */
export const wire = (...fields: (string | Buffer)[]): Buffer => Buffer.concat(fields.map(str));

/** A positive mpint: minimal, with a leading zero when the top bit is set. */
export const mpint = (magnitude: Buffer): Buffer => {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const minimal = magnitude.subarray(start);
  return str((minimal[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.of(0), minimal]) : minimal);
};
