import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, PermanentError } from '../../handlers/define';

const photoItem = z.object({ path: z.string().min(1) });

interface Dimensions {
  format: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
}

/** Width and height from the file's own header, so no image library (or native code) is needed. */
export function readDimensions(bytes: Buffer): Dimensions | null {
  if (
    bytes.length >= 24 &&
    bytes.readUInt32BE(0) === 0x89504e47 &&
    bytes.toString('latin1', 12, 16) === 'IHDR'
  ) {
    return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) {
    return { format: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    // Walk the JPEG segments to the first start-of-frame, which holds the dimensions.
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1] ?? 0;
      const length = bytes.readUInt16BE(at + 2);
      const startOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (startOfFrame) {
        return {
          format: 'jpeg',
          height: bytes.readUInt16BE(at + 5),
          width: bytes.readUInt16BE(at + 7),
        };
      }
      at += 2 + length;
    }
  }
  return null;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Probes one photo: its format and dimensions, orientation, aspect ratio, the size its thumbnail
 * will have and a digest, which is what a photo manager records before it renders derivatives.
 */
export const imageProbeHandler = defineHandler({
  name: 'image.probe',
  version: '1',
  description:
    'Reads the PNG, JPEG or GIF at data.path (under FILE_ROOTS): format, width, height, orientation, aspect ratio, thumbnail size and sha256.',
  params: z.object({
    thumbnailEdge: z.number().int().min(16).max(4_096).default(64),
  }),
  defaults: { concurrency: 4, itemTimeoutMs: 15_000, retry: { maximumAttempts: 2 } },
  async process(item, { params, signal, files }) {
    const parsed = photoItem.safeParse(item.data);
    if (!parsed.success) throw new PermanentError(`image.probe: item ${item.key} has no data.path`);
    const bytes = await files.read(parsed.data.path, { signal });
    const found = readDimensions(bytes);
    // A truncated upload reads the same on every attempt: retrying cannot help.
    if (!found || found.width === 0 || found.height === 0) {
      throw new PermanentError(
        `image.probe: ${parsed.data.path} is not a readable PNG, JPEG or GIF`,
      );
    }
    const { format, width, height } = found;
    const scale = Math.min(1, params.thumbnailEdge / Math.max(width, height));
    const divisor = gcd(width, height);
    return {
      format,
      width,
      height,
      bytes: bytes.length,
      megapixels: Math.round((width * height) / 10_000) / 100,
      orientation: width > height ? 'landscape' : width < height ? 'portrait' : 'square',
      aspectRatio: `${width / divisor}:${height / divisor}`,
      thumbnail: {
        width: Math.max(1, Math.round(width * scale)),
        height: Math.max(1, Math.round(height * scale)),
      },
      sha256: createHash('sha256').update(bytes).digest('hex'),
      collectionId: item.collectionId,
    };
  },
});
