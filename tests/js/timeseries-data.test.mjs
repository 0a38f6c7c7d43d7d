import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesFrom, timeParser, formatTime, formatNumber, parseDelimited } from '../../static/labeling/timeseries-data.js';

test('strftime subset round-trips', () => {
  const fmt = '%Y-%m-%d %H:%M:%S.%f';
  const parse = timeParser(fmt);
  const ms = parse('2024-01-01 12:00:01.500000');
  assert.equal(ms, Date.UTC(2024, 0, 1, 12, 0, 1, 500));
  assert.equal(formatTime(ms, fmt), '2024-01-01 12:00:01.500000');
  assert.ok(Number.isNaN(parse('yesterday')));
});

test('CSV with a time column, TSV, inline columns, unsorted rows', () => {
  const csv = 'time,a,b\n2024-01-01 00:00:02.0,3,30\n2024-01-01 00:00:01.0,1,10\n';
  const s = seriesFrom(csv, { timeColumn: 'time', timeFormat: '%Y-%m-%d %H:%M:%S.%f', columns: ['a', 'b'] });
  assert.equal(s.isTime, true);
  assert.deepEqual([...s.columns.a], [1, 3]);
  assert.equal(s.xs[1] - s.xs[0], 1000);
  const tsv = seriesFrom('x\ty\n1\t5\n2\t6\n', { sep: '\\t', timeColumn: 'x', columns: ['y'] });
  assert.deepEqual([...tsv.xs], [1, 2]);
  const inline = seriesFrom({ v: [4, 5, 6] }, { columns: ['v'] });
  assert.deepEqual([...inline.xs], [0, 1, 2]);
  assert.throws(() => seriesFrom(csv, { timeColumn: 'time', columns: ['zz'] }), /column "zz" is not in the data/);
  assert.deepEqual(parseDelimited('a,b\n"x,1",2\n').rows, [['x,1', '2']]);
});

test('numeric x values in a d3-format subset (timeDisplayFormat on a number axis)', () => {
  assert.equal(formatNumber(1234.5678, ',.2f'), '1,234.57');
  assert.equal(formatNumber(-1234567.6, ',d'), '-1,234,568');
  assert.equal(formatNumber(0.256, '.1%'), '25.6%');
  assert.equal(formatNumber(12345, '.2e'), '1.23e+4');
  assert.equal(formatNumber(3.14159, '.3'), '3.14');
  assert.equal(formatNumber(2.5, '.1f'), '2.5');
  assert.equal(formatNumber(1 / 3, ''), '0.333'); // no format: rounded
  assert.equal(formatNumber(1 / 3, '%Y'), '0.333'); // a date format on numbers: ignored
});
