import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatExpiry, formatLimit, formatRate } from '../format.js';
import { nextTabIndex } from '../tabs.js';
import { CHART_SAMPLES, RateHistory, chartGeometry } from '../usage-chart.js';

test('bytes and rates in binary units', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(200 * 1024 * 1024), '200 MiB');
  assert.equal(formatBytes(-1), '—');
  assert.equal(formatRate(2048), '2.0 KiB/s');
  assert.equal(formatLimit(0), 'unlimited');
  assert.equal(formatLimit(512), '512 KiB/s');
});

test('grant expiry in words', () => {
  assert.equal(formatExpiry(null, 5), 'until revoked');
  assert.equal(formatExpiry(undefined, 5), 'until revoked');
  assert.equal(formatExpiry(5, 5), 'expired');
  assert.equal(formatExpiry(10, 5, () => '14:05'), 'until the page closes (at most until 14:05)');
});

test('arrow keys move between tabs with wrap-around; Home/End jump', () => {
  assert.equal(nextTabIndex('ArrowRight', 0, 4), 1);
  assert.equal(nextTabIndex('ArrowRight', 3, 4), 0);
  assert.equal(nextTabIndex('ArrowLeft', 0, 4), 3);
  assert.equal(nextTabIndex('ArrowDown', 1, 4), 2);
  assert.equal(nextTabIndex('ArrowUp', 1, 4), 0);
  assert.equal(nextTabIndex('Home', 2, 4), 0);
  assert.equal(nextTabIndex('End', 0, 4), 3);
  assert.equal(nextTabIndex('Enter', 0, 4), -1);
  assert.equal(nextTabIndex('a', 0, 4), -1);
});

test('the chart keeps one minute of samples and scales to the highest rate', () => {
  const history = new RateHistory();
  for (let i = 0; i < CHART_SAMPLES + 5; i++) history.push(i * 100, 'bad');
  assert.equal(history.samples.length, CHART_SAMPLES);
  assert.equal(history.samples[0].inBps, 500, 'the oldest samples go first');
  assert.equal(history.samples[0].outBps, 0);

  const two = chartGeometry([{ inBps: 4096, outBps: 0 }, { inBps: 2048, outBps: 1024 }], 59, 40);
  assert.equal(two.max, 4096);
  assert.equal(two.inPoints, '58,0 59,20', 'newest sample at the right edge, full scale at the top');
  assert.equal(two.outPoints, '58,40 59,30');
  assert.equal(chartGeometry([{ inBps: 1, outBps: 0 }], 59, 40).max, 1024, 'at least 1 KiB/s full scale');
  assert.deepEqual(chartGeometry([], 59, 40), { inPoints: '', outPoints: '', max: 1024 });
});
