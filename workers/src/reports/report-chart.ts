import { PNG } from 'pngjs';

const WIDTH = 1200;
const HEIGHT = 300;
const BAR = [79, 70, 229]; // indigo
const GRID = [229, 231, 235];

function fill(png: PNG, x0: number, y0: number, x1: number, y1: number, [r, g, b]: number[]): void {
  for (let y = Math.max(0, y0); y < Math.min(HEIGHT, y1); y++)
    for (let x = Math.max(0, x0); x < Math.min(WIDTH, x1); x++) {
      const i = (y * WIDTH + x) * 4;
      png.data[i] = r ?? 0;
      png.data[i + 1] = g ?? 0;
      png.data[i + 2] = b ?? 0;
      png.data[i + 3] = 255;
    }
}

/**
 * A bar chart of daily visitors as a PNG (drawn pixel by pixel, no fonts: labels are in the HTML
 * around it). 1200×300, shown at 600×150 so it is sharp on high-density screens. Sent as an inline
 * attachment, so it shows in mail clients that block remote images.
 */
export function renderBarChart(values: readonly number[]): Buffer {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  fill(png, 0, 0, WIDTH, HEIGHT, [255, 255, 255]);
  const top = 10;
  const bottom = HEIGHT - 4;
  for (const fraction of [0, 0.5, 1]) {
    const y = Math.round(bottom - fraction * (bottom - top));
    fill(png, 0, y, WIDTH, y + 2, GRID);
  }
  const max = Math.max(1, ...values);
  const slot = WIDTH / Math.max(1, values.length);
  const gap = Math.max(2, Math.round(slot * 0.2));
  values.forEach((value, i) => {
    const height = Math.round((value / max) * (bottom - top));
    if (height <= 0) return;
    const x0 = Math.round(i * slot + gap / 2);
    const x1 = Math.round((i + 1) * slot - gap / 2);
    fill(png, x0, bottom - height, x1, bottom, BAR);
  });
  return PNG.sync.write(png);
}
