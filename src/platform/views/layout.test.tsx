import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdminLayout } from '../admin/layout.js';
import { translator, type Translator } from '../i18n/i18n.js';
import { autonym, ogLocaleOf, textDirection } from '../i18n/languages.js';
import { Layout } from './layout.js';

const meta = (alternates: Record<string, string>) => ({ title: 'T', baseUrl: 'http://diwan.test', path: '/en/activities/x', alternates });

/** An English translator posing as another language, to see how the frame treats that language. */
function posingAs(lang: string): Translator {
  return { ...translator('en'), lang, dir: textDirection(lang) };
}

test('each language is written in its direction', () => {
  for (const lang of ['ar', 'fa', 'he', 'ur']) assert.equal(textDirection(lang), 'rtl', lang);
  for (const lang of ['en', 'fr', 'es', 'pt', 'xx']) assert.equal(textDirection(lang), 'ltr', lang);
  assert.equal(translator('fr').dir, 'ltr');
  assert.equal(ogLocaleOf('fr'), 'fr_FR');
  assert.equal(ogLocaleOf('es'), 'es');
  assert.equal(autonym('ar'), 'العربية');
});

test('the language switch lists every configured language, the current one marked', async () => {
  const html = await (
    <Layout tr={translator('en')} stylesheet="/s.css" languages={['en', 'fr', 'es', 'ar']} meta={meta({ en: '/en/activities/x', fr: '/fr/activities/y' })}>
      {''}
    </Layout>
  );
  const nav = html.match(/<ul class="lang-switch"[\s\S]*?<\/ul>/)?.[0] ?? '';
  assert.match(html, /<html lang="en" dir="ltr">/);
  assert.match(nav, /<span aria-current="true" lang="en" data-testid="lang-current">English<\/span>/);
  // An existing alternate is linked; a language without one leads to its home page.
  assert.match(nav, /<a href="\/fr\/activities\/y" hreflang="fr" lang="fr" data-testid="lang-fr">Français<\/a>/);
  assert.match(nav, /<a href="\/es\/" hreflang="es" lang="es" data-testid="lang-es">Español<\/a>/);
  assert.match(nav, /<a href="\/ar\/" hreflang="ar" lang="ar" data-testid="lang-ar">العربية<\/a>/);
  assert.deepEqual([...nav.matchAll(/ lang="([a-z]+)"/g)].map((m) => m[1]), ['en', 'fr', 'es', 'ar'], 'in the configured order');
  // Open Graph alternates stay limited to pages that exist.
  assert.deepEqual([...html.matchAll(/og:locale:alternate" content="([^"]+)"/g)].map((m) => m[1]), ['fr_FR']);
});

test('a site in one language shows no switch', async () => {
  const html = await (
    <Layout tr={translator('en')} stylesheet="/s.css" languages={['en']} meta={meta({ en: '/en/activities/x' })}>
      {''}
    </Layout>
  );
  assert.doesNotMatch(html, /lang-switch/);
});

test('a right-to-left language sets dir="rtl" on the public and back-office frames', async () => {
  const tr = posingAs('ar');
  const pub = await (
    <Layout tr={tr} stylesheet="/s.css" languages={['ar', 'fr']} meta={meta({})}>
      {''}
    </Layout>
  );
  assert.match(pub, /<html lang="ar" dir="rtl">/);
  const admin = await (
    <AdminLayout tr={tr} title="T" stylesheet="/a.css" actor={null} csrf="x" languages={['ar', 'fr', 'en']}>
      {''}
    </AdminLayout>
  );
  assert.match(admin, /<html lang="ar" dir="rtl">/);
  assert.match(admin, /<a href="\?lang=fr" lang="fr" hreflang="fr" data-testid="admin-lang-fr">Français<\/a>/);
  assert.match(admin, /<a href="\?lang=en" lang="en" hreflang="en" data-testid="admin-lang-en">English<\/a>/);
  assert.doesNotMatch(admin, /admin-lang-ar/);
});
