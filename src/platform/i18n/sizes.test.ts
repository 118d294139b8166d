import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFileSize } from './sizes.js';

test('file sizes in decimal units, with each language’s symbols and spacing', () => {
  assert.equal(formatFileSize(1_234_567, 'en'), '1.2 MB');
  assert.equal(formatFileSize(1_234_567, 'fr'), '1,2\u202fMo');
  assert.equal(formatFileSize(45_300, 'en'), '45.3 kB');
  assert.equal(formatFileSize(45_300, 'fr'), '45,3\u202fko');
  assert.equal(formatFileSize(999, 'en'), '999 bytes');
  assert.equal(formatFileSize(1, 'en'), '1 byte');
  assert.equal(formatFileSize(999, 'fr'), '999\u00a0octets');
  assert.equal(formatFileSize(3_500_000_000_000, 'en'), '3,500 GB', 'nothing beyond gigabytes');
});
