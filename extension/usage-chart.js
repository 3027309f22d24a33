/**
 * The popup's live bandwidth chart: the last CHART_SAMPLES rates (bytes/s in and out, one sample
 * per apps.usage poll, ~1 s) drawn as two SVG polylines. No library; the geometry is a pure function.
 */

/** Samples kept per app: one minute at one poll per second. */
export const CHART_SAMPLES = 60;
const SVG = 'http://www.w3.org/2000/svg';

/** A bounded history of {inBps, outBps} samples. */
export class RateHistory {
  #samples = [];

  push(inBps, outBps) {
    this.#samples.push({ inBps: Math.max(0, Number(inBps) || 0), outBps: Math.max(0, Number(outBps) || 0) });
    if (this.#samples.length > CHART_SAMPLES) this.#samples.shift();
  }

  get samples() {
    return [...this.#samples];
  }
}

/**
 * Polyline points for both directions, newest sample at the right edge, scaled so the highest
 * rate touches the top (at least 1 KiB/s full scale, so an idle app draws flat lines at the bottom).
 * @returns {{inPoints:string, outPoints:string, max:number}} SVG `points` attributes and the full scale in bytes/s
 */
export function chartGeometry(samples, width, height) {
  const max = Math.max(1024, ...samples.map((s) => Math.max(s.inBps, s.outBps)));
  const step = width / (CHART_SAMPLES - 1);
  const offset = CHART_SAMPLES - samples.length;
  const points = (key) => samples.map((s, i) => {
    const x = (offset + i) * step;
    const y = height - (s[key] / max) * height;
    return `${round(x)},${round(y)}`;
  }).join(' ');
  return { inPoints: points('inBps'), outPoints: points('outBps'), max };
}

function round(n) {
  return Math.round(n * 10) / 10;
}

/** Creates the chart's SVG element (a labelled image) for `history`; call `drawChart` to update it. */
export function createChart(label, width = 240, height = 48) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('chart');
  for (const direction of ['in', 'out']) {
    const line = document.createElementNS(SVG, 'polyline');
    line.classList.add(`rate-${direction}`);
    line.setAttribute('fill', 'none');
    svg.append(line);
  }
  return svg;
}

/** Redraws `svg` (from createChart) with the samples of `history`. */
export function drawChart(svg, history) {
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  const { inPoints, outPoints } = chartGeometry(history.samples, width, height);
  svg.querySelector('.rate-in').setAttribute('points', inPoints);
  svg.querySelector('.rate-out').setAttribute('points', outPoints);
}
