import { crc32, inflateSync } from 'node:zlib'

export interface PngFacts {
  readonly width: number
  readonly height: number
  /** RGBA pixels, row by row, unfiltered. */
  readonly pixels: Buffer
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/**
 * Decodes a PNG as a reader would: the signature, every chunk's CRC, IHDR,
 * the inflated IDAT stream and its row filters (8-bit RGBA, no interlace:
 * what resvg writes). Throws on anything else.
 */
export function decodePng(png: Buffer): PngFacts {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature')
  let offset = 8
  let width = 0
  let height = 0
  const data: Buffer[] = []
  let ended = false
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.subarray(offset + 4, offset + 8).toString('latin1')
    const body = png.subarray(offset + 8, offset + 8 + length)
    const crc = png.readUInt32BE(offset + 8 + length)
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]]
      if (depth !== 8 || colour !== 6 || interlace !== 0) throw new Error('not 8-bit RGBA, non-interlaced')
    }
    if (type === 'IDAT') data.push(body)
    if (type === 'IEND') ended = true
    offset += 12 + length
  }
  if (!ended || width === 0) throw new Error('truncated PNG')
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * 4
  if (raw.length !== height * (stride + 1)) throw new Error('wrong image data size')
  const pixels = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0
      const left = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0
      const corner = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0
      const predicted =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? (left + up) >> 1
                : paeth(left, up, corner)
      pixels[y * stride + x] = (value + predicted) & 0xff
    }
  }
  return { width, height, pixels }
}

/** The colour at (x, y) as "#rrggbb". */
export function pixelAt({ width, pixels }: PngFacts, x: number, y: number): string {
  const at = (y * width + x) * 4
  return `#${[pixels[at], pixels[at + 1], pixels[at + 2]].map((v) => (v ?? 0).toString(16).padStart(2, '0')).join('')}`
}
