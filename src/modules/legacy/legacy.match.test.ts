import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importSlug } from './legacy.match.js';

test('an imported title gives its words and the year, at most 100 characters before the year', () => {
  assert.equal(importSlug('Thematic meeting on labour mobility', '2019-05-02'), 'thematic-meeting-on-labour-mobility-2019');
  assert.equal(importSlug('Réunion thématique sur l’asile', '2015-06'), 'reunion-thematique-sur-l-asile-2015');
  assert.equal(importSlug('Rabat Ministerial Conference 2006', '2006-07-10'), 'rabat-ministerial-conference-2006');
  assert.equal(importSlug('!!!', '2010'), 'activity-2010');
  const long = importSlug('Regional workshop on the protection of migrants in vulnerable situations and the fight against trafficking in persons along the routes', '2017-03-01');
  assert.equal(long, 'regional-workshop-on-the-protection-of-migrants-in-vulnerable-situations-and-the-fight-against-2017');
  assert.ok(long.length - '-2017'.length <= 100);
  assert.equal(importSlug('ورشة إقليمية حول الهجرة', '2018-01-01'), 'ورشة-إقليمية-حول-الهجرة-2018');
});
