import assert from 'node:assert/strict';
import { test } from 'node:test';
import { richTextToPlain, sanitizeRichText } from './sanitize.js';

test('plain text of rich text is decoded text, with blocks kept apart', () => {
  assert.equal(richTextToPlain('<p>Tom &amp; Jerry &lt;b&gt; caf&eacute;</p><p>next</p>'), 'Tom & Jerry <b> café next');
  assert.equal(richTextToPlain('<ul><li>one</li><li>two<br>three</li></ul>'), 'one two three');
  assert.equal(richTextToPlain('<p>in <strong>Da</strong>kar</p>'), 'in Dakar');
  assert.equal(richTextToPlain(''), '');
});

test('rich text keeps structure and links only', () => {
  assert.equal(sanitizeRichText('<p onclick="x()">a <script>alert(1)</script><a href="javascript:x">b</a><b>c</b></p><p> </p>'), '<p>a <a rel="noopener noreferrer">b</a><strong>c</strong></p>');
});

test('every link in rich text gets rel="noopener noreferrer", whatever the editor wrote', () => {
  assert.equal(
    sanitizeRichText('<p><a href="https://example.org/report" rel="opener" target="_blank">report</a> <a href="mailto:s@example.org">mail</a></p>'),
    '<p><a href="https://example.org/report" rel="noopener noreferrer">report</a> <a href="mailto:s@example.org" rel="noopener noreferrer">mail</a></p>',
  );
});
