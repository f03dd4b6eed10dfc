import { createHash } from 'node:crypto';

/** SHA-512 (base64, as the DIV envelope carries it) and byte count of a stream, read once in chunks. */
export async function digestOf(
  stream: AsyncIterable<Buffer>,
): Promise<{ size: number; sha512: string }> {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha512: hash.digest('base64') };
}

/** The whole stream as one buffer: only for what goes in one request anyway (≤ one section). */
export async function readAll(stream: AsyncIterable<Buffer>, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts, size);
}

/**
 * The stream cut into sections of exactly `size` bytes, then the last, shorter one (0 bytes when
 * the length divides evenly: DIV's closing section). One section is held at a time.
 */
export async function* sections(
  stream: AsyncIterable<Buffer>,
  size: number,
): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const chunk of stream) {
    let rest = chunk;
    while (have + rest.length >= size) {
      const take = size - have;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts, size);
      parts = [];
      have = 0;
      rest = rest.subarray(take);
    }
    if (rest.length) {
      parts.push(rest);
      have += rest.length;
    }
  }
  yield Buffer.concat(parts, have);
}
