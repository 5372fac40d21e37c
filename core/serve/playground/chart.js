/**
 * An SVG line chart of [x, y] points with both axes, their ticks and labels, and a title. Text goes
 * in as text nodes; the drawing is one <path>.
 */
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
const HEIGHT = 220;
const MARGIN = { left: 56, right: 12, top: 28, bottom: 40 };

/** A chart titled `title`, with `xLabel` and `yLabel` on its axes. */
export function lineChart(points, { title, xLabel, yLabel }) {
  const svg = node('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart' });
  svg.append(node('title', {}, `${title}: ${points.length} points`));
  svg.append(node('text', { x: WIDTH / 2, y: 16, 'text-anchor': 'middle', class: 'chart-title' }, title));
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = range(xs);
  const [y0, y1] = range(ys);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const bottom = MARGIN.top + plotH;
  svg.append(node('line', { x1: MARGIN.left, y1: bottom, x2: WIDTH - MARGIN.right, y2: bottom, class: 'axis' }));
  svg.append(node('line', { x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: bottom, class: 'axis' }));
  for (const t of ticks(x0, x1)) {
    svg.append(node('line', { x1: sx(t), y1: bottom, x2: sx(t), y2: bottom + 4, class: 'axis' }));
    svg.append(node('text', { x: sx(t), y: bottom + 16, 'text-anchor': 'middle' }, format(t)));
  }
  for (const t of ticks(y0, y1)) {
    svg.append(node('line', { x1: MARGIN.left - 4, y1: sy(t), x2: MARGIN.left, y2: sy(t), class: 'axis' }));
    svg.append(node('text', { x: MARGIN.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, format(t)));
  }
  svg.append(node('text', { x: MARGIN.left + plotW / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, xLabel));
  svg.append(
    node(
      'text',
      {
        x: 12,
        y: MARGIN.top + plotH / 2,
        'text-anchor': 'middle',
        transform: `rotate(-90 12 ${MARGIN.top + plotH / 2})`,
      },
      yLabel,
    ),
  );
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  svg.append(node('path', { d, class: 'line' }));
  return svg;
}

function node(tag, attributes, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** The extent of the values, widened when they are all equal so that the scale stays finite. */
function range(values) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  return [lo, hi];
}

/** About five round tick values inside [lo, hi]. */
function ticks(lo, hi) {
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(t);
  return out;
}

function format(value) {
  return Math.abs(value) >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Number(value.toPrecision(3)));
}
