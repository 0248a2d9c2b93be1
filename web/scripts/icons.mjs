// Writes the app icons of the web manifest (public/icon-*.png) as PNGs drawn from rectangles, so no image
// tool is needed: a white "H" on the theme colour. "maskable" keeps the letter inside the central 80 % safe zone.
// Run by hand after changing the drawing: node scripts/icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

function png(size, scale) {
  const bg = [0x1c, 0x3d, 0x6e];
  // The letter in a 512 grid, scaled about the centre.
  const rects = [[160, 128, 208, 384], [304, 128, 352, 384], [208, 232, 304, 280]].map((r) =>
    r.map((v) => 256 + (v - 256) * scale),
  );
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const gx = ((x + 0.5) * 512) / size;
      const gy = ((y + 0.5) * 512) / size;
      const on = rects.some(([x0, y0, x1, y1]) => gx >= x0 && gx < x1 && gy >= y0 && gy < y1);
      const [r, g, b] = on ? [255, 255, 255] : bg;
      row.set([r, g, b, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = new URL('../public/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), png(192, 1));
writeFileSync(new URL('icon-512.png', dir), png(512, 1));
writeFileSync(new URL('icon-maskable-512.png', dir), png(512, 0.7));
