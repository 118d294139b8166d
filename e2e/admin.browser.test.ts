/**
 * Browser tests of the back-office in Debian's Chromium: the editorial flows of issue 3 (review and
 * publication, form errors, two editors colliding, password reset through a real SMTP peer, roles,
 * revisions, working without JavaScript) and axe-core (WCAG 2.1 A/AA) on every admin page type in
 * English and French.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { createActivityDraft, loadEditableActivity, updateActivity } from '../src/modules/activities/activities.editor.js';
import type { ActivityInput } from '../src/modules/activities/activities.schemas.js';
import { MailSink } from './mail-sink.js';
import { assertNoAxeViolations, freePort, launchBrowser, inOwnOriginPage, startApp, withContext, type RunningApp } from './browser.js';
import type { Lang } from './pages/base.page.js';
import { AdminPage } from './pages/admin.page.js';
import { AdminLoginPage } from './pages/admin-login.page.js';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/admin-password.page.js';
import { DashboardPage } from './pages/admin-dashboard.page.js';
import { AdminActivityListPage } from './pages/admin-activity-list.page.js';
import { ActivityFormPage } from './pages/admin-activity-form.page.js';
import { RevisionsPage } from './pages/admin-revisions.page.js';
import { PreviewPage } from './pages/admin-preview.page.js';
import { ActivityListPage } from './pages/activity-list.page.js';
import { ActivityPage } from './pages/activity.page.js';
import { ErrorPage } from './pages/error.page.js';

type Role = 'admin' | 'editor' | 'focal_point';
interface User {
  email: string;
  password: string;
  role: Role;
  displayName: string;
  lang: Lang;
}

/** Every account the tests use; passwords are long enough for the policy (12 characters or more). */
const USERS = {
  admin: { email: 'ada.admin@diwan.test', password: 'admin correct horse 1', role: 'admin', displayName: 'Ada Admin', lang: 'en' },
  adminFr: { email: 'adele.admin@diwan.test', password: 'admin cheval correct 2', role: 'admin', displayName: 'Adèle Admin', lang: 'fr' },
  editor: { email: 'edith.editor@diwan.test', password: 'editor battery staple 3', role: 'editor', displayName: 'Edith Editor', lang: 'en' },
  editorB: { email: 'bruno.editor@diwan.test', password: 'editor paper lantern 4', role: 'editor', displayName: 'Bruno Editor', lang: 'en' },
  resetter: { email: 'rita.reset@diwan.test', password: 'old password before reset 5', role: 'editor', displayName: 'Rita Reset', lang: 'en' },
  focal: { email: 'fatou.focal@diwan.test', password: 'focal point window 6', role: 'focal_point', displayName: 'Fatou Focal', lang: 'en' },
  focalFr: { email: 'francois.focal@diwan.test', password: 'point focal fenetre 7', role: 'focal_point', displayName: 'François Focal', lang: 'fr' },
  /** Asks for reset links so that the reset page (with a valid token) can be checked by axe. */
  a11y: { email: 'alex.a11y@diwan.test', password: 'accessible pages only 8', role: 'editor', displayName: 'Alex A11y', lang: 'en' },
  /** The same for the French pages: one account per language, since a newer reset link spends the older one. */
  a11yFr: { email: 'alix.a11y@diwan.test', password: 'pages accessibles seulement 8', role: 'editor', displayName: 'Alix A11y', lang: 'fr' },
} as const satisfies Record<string, User>;

const ADMIN_BY_LANG: Record<Lang, User> = { en: USERS.admin, fr: USERS.adminFr };
const FOCAL_BY_LANG: Record<Lang, User> = { en: USERS.focal, fr: USERS.focalFr };
const LANGS: Lang[] = ['en', 'fr'];
/** Tests of a group run side by side in their own contexts of the one browser (waits overlap). */
const CONCURRENCY = 2;

/** What the interface says, in each language, where a test checks words. */
const TEXT = {
  en: { created: 'The activity has been created as a draft.', saved: 'Saved.', dashboard: 'Dashboard', forbidden: 'You cannot do this' },
  fr: { created: 'L’activité a été créée comme brouillon.', saved: 'Enregistré.', dashboard: 'Tableau de bord', forbidden: 'Action non autorisée' },
} as const;

/** The reset link of a reset e-mail, and its token. */
function resetLinkOf(mail: ParsedMail): { link: string; token: string } {
  const m = /(https?:\/\/[^\s]+\/admin\/password\/reset\/([\w-]+))/.exec(mail.text ?? '');
  assert.ok(m?.[1] && m[2], `the e-mail contains a reset link:\n${mail.text ?? '(no text part)'}`);
  return { link: m[1], token: m[2] };
}

// ---------------------------------------------------------------------------------------------
// The app, the browser, the accounts and some activities made with the write commands.
// ---------------------------------------------------------------------------------------------

let running: RunningApp;
let browser: Browser;
let mail: MailSink;
const userIds = {} as Record<keyof typeof USERS, number>;

/** An activity in English and French (a draft); `edit` saves it once more, so that it has two revisions. */
async function seedActivity(name: string, options: { edit?: boolean } = {}): Promise<number> {
  const input: ActivityInput = {
    type: 'technical_workshop',
    status: 'planned',
    start_date: '2027-05-10',
    date_precision: 'day',
    format: 'hybrid',
    published: false,
    t: {
      en: { title: `Workshop on migration data: ${name}`, slug: `workshop-migration-data-${name}`, summary: `Experts compare sources of migration data (${name}).` },
      fr: { title: `Atelier sur les données migratoires : ${name}`, slug: `atelier-donnees-migratoires-${name}`, summary: `Des experts comparent les sources de données (${name}).` },
    },
  };
  const { db } = running.test;
  const id = await createActivityDraft(db, input, userIds.admin);
  if (options.edit) await editInDatabase(id, (t) => ({ ...t, en: { ...t.en!, title: `${t.en!.title} (revised)`, summary: `${t.en!.summary} Second version.` } }));
  return id;
}

/** Saves a change to an activity's texts through the write command, as another person would. */
async function editInDatabase(id: number, change: (t: Record<string, { title: string; slug: string; summary: string }>) => Record<string, { title: string; slug: string; summary: string }>): Promise<void> {
  const { db } = running.test;
  const current = await loadEditableActivity(db, id);
  assert.ok(current, `activity ${id} exists`);
  const result = await updateActivity(db, id, current.version, { ...current.input, t: change(current.input.t) }, { id: userIds.admin, canPublish: true });
  assert.ok(result.ok, `activity ${id} saved`);
}

before(async () => {
  mail = new MailSink();
  const [smtpPort, port] = await Promise.all([mail.listen(), freePort()]);
  // The public URL is the real address, so the link in the e-mail can be opened as it arrived.
  [running, browser] = await Promise.all([
    startApp({ port, config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: `http://127.0.0.1:${port}` } }),
    launchBrowser(),
  ]);
  for (const [key, u] of Object.entries(USERS) as [keyof typeof USERS, User][]) {
    userIds[key] = await createUser(running.test.db, { email: u.email, password: u.password, role: u.role, displayName: u.displayName, lang: u.lang });
  }
});

after(async () => {
  await browser?.close();
  await running?.close();
  await mail?.close();
});

/** A fresh context and page for one test, with no request leaving the app's origin. */
const inPage = <T,>(fn: (page: Page, context: BrowserContext) => Promise<T>, options: Parameters<typeof withContext>[3] = {}): Promise<T> =>
  inOwnOriginPage(browser, running.origin, fn, options);

/** Signs in through the form and checks the browser landed on the dashboard. */
async function signIn(page: Page, user: User): Promise<DashboardPage> {
  const login = new AdminLoginPage(page);
  assert.equal((await login.goto()).status(), 200);
  const response = await login.login(user.email, user.password);
  assert.equal(response.status(), 200, `${user.email} signs in`);
  const dashboard = new DashboardPage(page);
  assert.equal(dashboard.url().pathname, '/admin/');
  assert.equal(await dashboard.text(dashboard.signedInAs), user.lang === 'fr' ? `Connecté·e : ${user.displayName}` : `Signed in as ${user.displayName}`);
  return dashboard;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
const sessions = new Map<string, Promise<StorageState>>();

/** The cookies of a signed-in session of a user (signed in once, through the form), for contexts that start signed in. */
function sessionOf(user: User): Promise<StorageState> {
  let s = sessions.get(user.email);
  if (!s) {
    s = withContext(browser, running.origin, async (context) => {
      await signIn(await context.newPage(), user);
      return context.storageState();
    });
    sessions.set(user.email, s);
  }
  return s;
}

/** A page in a fresh context that is already signed in as this user. */
async function asUser<T>(user: User, fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  return inPage(fn, { storageState: await sessionOf(user) });
}

/** Counts activities whose title (in any language) is exactly this, straight from the database. */
async function activitiesTitled(title: string): Promise<number> {
  const rows = await running.test.db.selectFrom('activity_translations').select('activity_id').where('title', '=', title).execute();
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Editorial flows
// ---------------------------------------------------------------------------------------------

describe('editorial flows', { concurrency: CONCURRENCY }, () => {
  test('an editor creates an activity in English and French and sends it to review; an admin publishes it; it is public at once', () =>
    inPage(async (page) => {
      const en = { title: 'Regional workshop on labour migration statistics', summary: 'National statistics offices compare how they count labour migrants.' };
      const fr = { title: 'Atelier régional sur les statistiques des migrations de travail', summary: 'Les instituts nationaux de statistique comparent leurs méthodes.' };

      await signIn(page, USERS.editor);
      const form = new ActivityFormPage(page);
      assert.equal((await form.gotoNew()).status(), 200);
      const theme = await form.themeBoxes.first().getAttribute('value');
      assert.ok(theme, 'the form offers themes');
      await form.fill({ type: 'regional_workshop', startDate: '2027-03-15', format: 'in_person', texts: { en, fr }, themes: [theme] });
      const created = await form.save();
      assert.equal(created.status(), 200);
      assert.match(form.url().pathname, /^\/admin\/activities\/\d+$/, 'the browser lands on the edit page');
      assert.equal(form.url().searchParams.get('done'), 'created');
      assert.equal(await form.text(form.notice), TEXT.en.created);
      const id = form.activityId();
      assert.equal(await form.title('en').inputValue(), en.title);
      assert.equal(await form.title('fr').inputValue(), fr.title);
      assert.equal(await form.summary('fr').inputValue(), fr.summary);
      assert.ok(await form.page.locator(`input[name=themes][value="${theme}"]`).isChecked(), 'the theme stays ticked');
      assert.equal(await form.text(form.workflowState), 'State: Draft');
      assert.equal(await form.text(form.translationState('en')), 'done');
      assert.equal(await form.text(form.translationState('fr')), 'done');
      const enSlug = await form.slug('en').inputValue();
      const frSlug = await form.slug('fr').inputValue();
      assert.ok(enSlug && frSlug, `slugs were made from the titles (${enSlug}, ${frSlug})`);

      // The editor may send for review but not publish.
      assert.equal(await form.workflowButton('publish').count(), 0, 'an editor has no publish button');
      assert.equal(await form.workflowButton('schedule').count(), 0, 'an editor cannot schedule publication');
      await form.workflow('submit');
      assert.equal(form.url().searchParams.get('done'), 'submit');
      assert.equal(await form.text(form.workflowState), 'State: In review');
      assert.equal(await form.text(form.notice), 'Sent for review.');
      assert.equal(await form.workflowButton('publish').count(), 0, 'still no publish button for the editor in review');

      // Not public yet.
      const publicPage = new ActivityPage(page);
      assert.equal((await publicPage.goto('fr', frSlug)).status(), 404, 'the draft is not public');

      // Sign out: back to the sign-in page with a notice, and the back-office is closed again.
      await form.gotoEdit(id);
      await form.logout();
      const adminPage = new AdminPage(page);
      const login = new AdminLoginPage(page);
      assert.equal(login.url().pathname, '/admin/login');
      assert.equal(await login.text(login.notice), 'You have signed out.');
      await adminPage.gotoPath('/admin/');
      assert.equal(adminPage.url().pathname, '/admin/login', 'signed out: the dashboard sends to the sign-in page');

      // The admin finds it waiting for review and publishes it.
      const dashboard = await signIn(page, USERS.admin);
      assert.ok(await dashboard.reviewLink(en.title).isVisible(), 'the dashboard lists the activity under "Waiting for review"');
      assert.equal(await dashboard.text(dashboard.reviewQueue.locator('h2')), 'Waiting for review');
      await dashboard.openFromReview(en.title);
      assert.equal(form.activityId(), id);
      assert.equal(await form.text(form.workflowState), 'State: In review');
      await form.workflow('publish');
      assert.equal(form.url().searchParams.get('done'), 'publish');
      assert.equal(await form.text(form.notice), 'Published.');
      assert.match(await form.text(form.workflowState), /^State: Published/);
      await dashboard.goto();
      assert.equal(await dashboard.reviewLink(en.title).count(), 0, 'no longer waiting for review');

      // On the public site at once, in both languages.
      const list = new ActivityListPage(page);
      assert.equal((await list.goto('en')).status(), 200);
      assert.equal(await list.cardFor('en', enSlug).count(), 1, 'the activity is on the public list');
      const activity = await list.openActivity('en', enSlug);
      assert.equal(await activity.text(activity.h1), en.title);
      assert.equal((await publicPage.goto('fr', frSlug)).status(), 200);
      assert.equal(await publicPage.text(publicPage.h1), fr.title);
      assert.equal(await publicPage.htmlLang(), 'fr');
      const frList = new ActivityListPage(page);
      await frList.goto('fr');
      assert.equal(await frList.cardFor('fr', frSlug).count(), 1, 'the activity is on the French public list');
    }));

  test('a form with errors re-renders with an error summary, keeps what was typed and creates nothing', () =>
    asUser(USERS.editor, async (page) => {
      const title = 'Consultation with a date that does not exist';
      // The list's count of consultations: no other test makes one, so tests running alongside cannot change it.
      const list = new AdminActivityListPage(page);
      await list.goto({ type: 'consultation' });
      const before = await list.total();
      assert.ok(before > 0, `the list counts the consultations (${before})`);

      const form = new ActivityFormPage(page);
      await form.gotoNew();
      await form.fill({ type: 'consultation', startDate: '2027-13-45', texts: { en: { title, summary: 'Kept as typed.' } } });
      const response = await form.save();
      assert.equal(response.status(), 400);
      assert.equal(form.url().pathname, '/admin/activities');
      assert.ok(await form.errorSummary.isVisible(), 'the error summary is shown');
      assert.equal(await form.errorSummary.getAttribute('role'), 'alert');
      assert.deepEqual(await form.errorSummaryTargets(), ['#start_date'], 'the summary links to the start date, and only to it');
      assert.equal(await form.title('en').inputValue(), title, 'the typed title is still there');
      assert.equal(await form.summary('en').inputValue(), 'Kept as typed.');
      assert.equal(await form.startDate.inputValue(), '2027-13-45', 'the wrong date is shown back to be corrected');
      assert.equal(await form.startDate.getAttribute('aria-invalid'), 'true');
      assert.equal(await form.type.inputValue(), 'consultation');
      assert.match(await form.text(page.locator('#start_date-error')), /start date/i);

      // The summary link leads to the field.
      await form.errorSummary.locator('a[href="#start_date"]').click();
      assert.equal(new URL(page.url()).hash, '#start_date');

      assert.equal(await activitiesTitled(title), 0, 'nothing was created');
      await list.goto({ type: 'consultation' });
      assert.equal(await list.total(), before, 'the list counts as many consultations as before');
      await list.goto({ q: 'date that does not exist' });
      assert.equal(await list.total(), 0);
    }));

  test('two editors at once: changes to different fields merge; the same field asks which to keep, and nothing typed is lost', async () => {
    const id = await seedActivity('collision');
    const original = await loadEditableActivity(running.test.db, id);
    assert.ok(original);
    const originalTitle = original.input.t.en!.title;
    const summaryA = 'Summary rewritten by editor A while B was editing.';
    const titleA = 'Workshop on migration data: title chosen by editor A';
    const titleB = 'Workshop on migration data: title chosen by editor B';

    await asUser(USERS.editor, async (pageA) => {
      await asUser(USERS.editorB, async (pageB) => {
        const a = new ActivityFormPage(pageA);
        const b = new ActivityFormPage(pageB);
        await Promise.all([a.gotoEdit(id), b.gotoEdit(id)]);

        // Different fields: B's save keeps A's summary (B never touched it) and takes B's title.
        await a.fill({ texts: { en: { summary: summaryA } } });
        assert.equal((await a.save()).status(), 200);
        assert.equal(await a.text(a.notice), TEXT.en.saved);
        await b.fill({ texts: { en: { title: titleB } } });
        assert.equal((await b.save()).status(), 200, 'no conflict: the changes are merged');
        assert.match(await b.text(b.notice), /their changes to Summary \(English\) were kept/);
        assert.equal(await b.title('en').inputValue(), titleB);
        assert.equal(await b.summary('en').inputValue(), summaryA);

        // The same field: the second save shows only that field, with both versions.
        await Promise.all([a.gotoEdit(id), b.gotoEdit(id)]);
        await a.fill({ texts: { en: { title: titleA } } });
        assert.equal((await a.save()).status(), 200);
        await b.fill({ texts: { en: { title: `${titleB} (again)`, summary: 'B also rewrote the summary.' } } });
        assert.equal((await b.save()).status(), 409, 'the second save asks first');
        assert.ok(await b.conflict.isVisible(), 'the resolve step is shown');
        assert.deepEqual(await b.conflictKeys(), ['t.en.title'], 'only the field both changed');
        const [row] = await b.conflictRows();
        assert.deepEqual(row, { field: 'Title (English)', theirs: titleA, yours: `${titleB} (again)` });
        const saved = await b.resolve({ 't.en.title': 'theirs' });
        assert.equal(saved.status(), 200);
        assert.equal(await b.conflict.count(), 0);
        assert.equal(await b.title('en').inputValue(), titleA, 'B kept A’s title');
        assert.equal(await b.summary('en').inputValue(), 'B also rewrote the summary.', 'and B’s own summary');

        // Every save is a revision.
        const revisions = new RevisionsPage(pageA);
        await revisions.goto(id);
        assert.equal(await revisions.versions.count(), 5, 'created, A, B merged, A, B resolved');
        const versions = await revisions.versions.allTextContents();
        assert.match(versions[0] ?? '', /Version 5.*Bruno Editor/s);
        assert.match(versions[1] ?? '', /Version 4.*Edith Editor/s);
        assert.notEqual(originalTitle, titleA);
      });
    });
  });

  test('password reset through the e-mail that actually arrived; an unknown address gets the same answer and no mail', () =>
    inPage(async (page) => {
      const user = USERS.resetter;
      // Not holding the account's name (Rita Reset): such a password is refused.
      const newPassword = 'a brand new chosen password 9';
      const forgot = new ForgotPasswordPage(page);
      const login = new AdminLoginPage(page);
      // The sign-in page links to the "forgotten password" page.
      await login.goto();
      await Promise.all([page.waitForURL((u) => u.pathname === '/admin/password/forgot'), login.forgotLink.click()]);
      const answer = await forgot.request(user.email);
      assert.equal(answer.status(), 200);
      assert.ok(await forgot.sent.isVisible(), 'the confirmation is shown');
      const confirmation = { h1: await forgot.text(forgot.h1), body: await forgot.text(forgot.sent) };

      const message = await mail.nth(user.email, 1);
      assert.equal(mail.to(user.email).length, 1, 'one message');
      assert.equal(message.subject, 'Reset your Diwan password');
      const { link, token } = resetLinkOf(message);
      assert.equal(new URL(link).origin, running.origin, 'the link points to the site');

      const reset = new ResetPasswordPage(page);
      assert.equal((await reset.gotoLink(link)).status(), 200);
      assert.ok(await reset.form.isVisible());
      // A mismatch is refused and nothing is spent.
      assert.equal((await reset.choose(newPassword, `${newPassword}x`)).status(), 400);
      assert.deepEqual(await reset.errorSummaryTargets(), ['#confirm']);
      const done = await reset.choose(newPassword);
      assert.equal(done.status(), 200);
      assert.equal(login.url().pathname, '/admin/login');
      assert.equal(await login.text(login.notice), 'Your password has been changed. Sign in with it.');

      // The new password works, the old one no longer does.
      const dashboard = await signIn(page, { ...user, password: newPassword });
      await dashboard.logout();
      await login.goto();
      const refused = await login.login(user.email, user.password);
      assert.equal(refused.status(), 400, 'the old password is refused');
      assert.equal(login.url().pathname, '/admin/login');
      assert.equal(await login.text(login.errorSummary.locator('li')), 'The e-mail address or the password is not right.');
      assert.equal(await login.email.inputValue(), user.email, 'the address typed is kept');

      // The link is single-use.
      const again = await reset.gotoLink(`/admin/password/reset/${token}`);
      assert.equal(again.status(), 410);
      assert.ok(await reset.tokenInvalid.isVisible(), 'the link is no longer valid');
      assert.equal(await reset.form.count(), 0);

      // An unknown address: the same page, and no mail.
      const unknown = 'nobody.here@diwan.test';
      const before = mail.deliveries.length;
      await forgot.goto();
      const same = await forgot.request(unknown);
      assert.equal(same.status(), 200);
      assert.deepEqual({ h1: await forgot.text(forgot.h1), body: await forgot.text(forgot.sent) }, confirmation, 'the same answer as for a real account');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(mail.to(unknown).length, 0, 'no mail to the unknown address');
      assert.equal(mail.deliveries.length, before, 'no mail at all');
      const kept = await running.test.db.selectFrom('outbox').select('id').where('to_address', '=', unknown).execute();
      assert.equal(kept.length, 0, 'nothing was written to the outbox either');
      const sent = await running.test.db.selectFrom('outbox').select(['sent_at', 'error']).where('to_address', '=', user.email).execute();
      assert.equal(sent.length, 1);
      assert.ok(sent[0]?.sent_at && !sent[0].error, 'the outbox records the reset mail as sent');
    }));

  test('a focal point sees the dashboard but not the activities (403, and no link)', () =>
    inPage(async (page) => {
      const dashboard = await signIn(page, USERS.focal);
      assert.equal(await dashboard.text(dashboard.h1), TEXT.en.dashboard);
      const labels = await dashboard.navLabels();
      assert.ok(labels.includes('Dashboard'), `navigation: ${labels.join(', ')}`);
      assert.ok(!labels.includes('Activities'), `no "Activities" link: ${labels.join(', ')}`);
      assert.equal(await dashboard.mainNav.locator('a[href^="/admin/activities"], a[href^="/admin/audit"], a[href^="/admin/outbox"]').count(), 0);
      assert.equal(await dashboard.reviewQueue.count(), 0, 'no review queue');

      const error = new ErrorPage(page);
      for (const path of ['/admin/activities', '/admin/activities/new', '/admin/audit', '/admin/outbox']) {
        const response = await error.goto(path);
        assert.equal(response.status(), 403, `${path} is refused`);
        assert.equal(((await error.title.textContent()) ?? '').trim(), TEXT.en.forbidden);
        assert.equal(response.headers()['cache-control'], 'private, no-store');
      }
    }));

  test('revisions: a readable diff between saves, and restoring the first version brings back the old title', () =>
    asUser(USERS.editor, async (page) => {
      const id = await seedActivity('revisions');
      const form = new ActivityFormPage(page);
      await form.gotoEdit(id);
      const firstTitle = await form.title('en').inputValue();
      const secondTitle = 'Workshop on migration data and statistics: second title';
      await form.fill({ texts: { en: { title: secondTitle } } });
      assert.equal((await form.save()).status(), 200);
      await form.fill({ texts: { en: { summary: 'A third version with a new summary.' } } });
      assert.equal((await form.save()).status(), 200);
      assert.equal(await form.text(form.notice), TEXT.en.saved);

      await form.revisionsLink.click();
      const revisions = new RevisionsPage(page);
      await page.waitForURL((u) => u.pathname === `/admin/activities/${id}/revisions`);
      assert.equal(await revisions.versions.count(), 3);
      // By default: the last two versions.
      assert.ok(await revisions.diff.isVisible(), 'the diff table is shown');
      let rows = await revisions.diffRows();
      assert.deepEqual(rows.map((r) => r.field), ['Summary (English)']);
      assert.ok(rows[0]!.inserted.join(' ').includes('third version'), JSON.stringify(rows));
      assert.ok(rows[0]!.deleted.length > 0, 'removed words are marked');

      await revisions.compare(1, 3);
      rows = await revisions.diffRows();
      const title = rows.find((r) => r.field === 'Title (English)');
      assert.ok(title, `the title changed between versions 1 and 3: ${JSON.stringify(rows)}`);
      assert.ok(title.deleted.length > 0 && title.inserted.length > 0, 'with <del> and <ins>');
      assert.ok(title.inserted.join(' ').includes('statistics'), JSON.stringify(title));
      assert.ok(await revisions.diff.locator('ins').first().isVisible());
      assert.ok(await revisions.diff.locator('del').first().isVisible());
      assert.equal(await revisions.restoreButton(3).count(), 0, 'the current version cannot be restored');

      const restored = await revisions.restore(1);
      assert.equal(restored.status(), 200);
      assert.equal(form.url().pathname, `/admin/activities/${id}`);
      assert.equal(await form.text(form.notice), 'Version 1 restored (saved as a new version).');
      assert.equal(await form.title('en').inputValue(), firstTitle, 'the old title is back');
      await revisions.goto(id);
      assert.equal(await revisions.versions.count(), 4, 'the restore is itself a new version');
    }));

  test('without JavaScript: sign in, create, save and sign out all work', () =>
    inPage(
      async (page) => {
        await page.setContent('<p id="probe">off</p><script>document.getElementById("probe").textContent = "on"</script>');
        assert.equal(await page.locator('#probe').textContent(), 'off', 'JavaScript is disabled in this context');

        const dashboard = await signIn(page, USERS.editor);
        assert.deepEqual(await dashboard.scriptsOtherThanJsonLd(), [], 'the dashboard has no script');
        const form = new ActivityFormPage(page);
        await form.gotoNew();
        // The form carries one module script (the rich-text editor), which only enhances it.
        assert.deepEqual(await form.scriptsOtherThanJsonLd(), ['module'], 'at most the editor script');
        const title = 'Training on border management without JavaScript';
        await form.fill({ type: 'training', startDate: '2026-11-02', format: 'virtual', texts: { en: { title, summary: 'Made in a browser without scripts.' } } });
        assert.equal((await form.save()).status(), 200);
        assert.equal(await form.text(form.notice), TEXT.en.created);
        assert.equal(await form.text(form.translationState('fr')), 'missing');
        await form.fill({ texts: { fr: { title: 'Formation sur la gestion des frontières sans JavaScript' } } });
        assert.equal((await form.save()).status(), 200);
        assert.equal(await form.text(form.notice), TEXT.en.saved);
        assert.equal(await form.title('fr').inputValue(), 'Formation sur la gestion des frontières sans JavaScript');
        assert.equal(await activitiesTitled(title), 1);
        await form.logout();
        assert.equal(new AdminPage(page).url().pathname, '/admin/login');
      },
      { javaScriptEnabled: false },
    ));
});

// ---------------------------------------------------------------------------------------------
// Accessibility of every admin page type
// ---------------------------------------------------------------------------------------------

/** A fresh reset link for the a11y account, asked for through the form (the page is not spent by opening it). */
const resetLinks: Record<Lang, number> = { en: 0, fr: 0 };
async function freshResetLink(page: Page, lang: Lang): Promise<string> {
  const forgot = new ForgotPasswordPage(page);
  await forgot.goto(lang);
  const n = ++resetLinks[lang];
  const user = lang === 'fr' ? USERS.a11yFr : USERS.a11y;
  await forgot.request(user.email);
  return resetLinkOf(await mail.nth(user.email, n)).link;
}

describe('accessibility of the back-office (axe-core, WCAG 2.1 A and AA)', { concurrency: CONCURRENCY }, () => {
  for (const lang of LANGS) {
    const admin = ADMIN_BY_LANG[lang];
    const check = async (page: Page, label: string, t: { diagnostic(s: string): void }) => {
      assert.equal(await new AdminPage(page).htmlLang(), lang, `${label} is in ${lang}`);
      for (const line of await assertNoAxeViolations(page, `${label} (${lang})`)) t.diagnostic(line);
    };

    describe(`in ${lang}`, { concurrency: CONCURRENCY }, () => {
      test('sign-in page', (t) =>
        inPage(async (page) => {
          const login = new AdminLoginPage(page);
          assert.equal((await login.goto(lang)).status(), 200);
          await check(page, 'sign-in', t);
        }));

      test('forgotten password page', (t) =>
        inPage(async (page) => {
          assert.equal((await new ForgotPasswordPage(page).goto(lang)).status(), 200);
          await check(page, 'forgotten password', t);
        }));

      test('new password page (valid link)', (t) =>
        inPage(async (page) => {
          const link = await freshResetLink(page, lang);
          const reset = new ResetPasswordPage(page);
          assert.equal((await reset.gotoLink(`${link}?lang=${lang}`)).status(), 200);
          assert.ok(await reset.form.isVisible());
          await check(page, 'new password', t);
        }));

      test('dashboard', (t) =>
        asUser(admin, async (page) => {
          const dashboard = new DashboardPage(page);
          assert.equal((await dashboard.goto()).status(), 200);
          assert.equal(await dashboard.text(dashboard.h1), TEXT[lang].dashboard);
          await check(page, 'dashboard', t);
        }));

      test('activities list', (t) =>
        asUser(admin, async (page) => {
          const list = new AdminActivityListPage(page);
          assert.equal((await list.goto()).status(), 200);
          assert.ok((await list.rows.count()) > 0);
          await check(page, 'activities list', t);
        }));

      test('new activity form', (t) =>
        asUser(admin, async (page) => {
          assert.equal((await new ActivityFormPage(page).gotoNew()).status(), 200);
          await check(page, 'new activity form', t);
        }));

      test('new activity form with errors', (t) =>
        asUser(admin, async (page) => {
          const form = new ActivityFormPage(page);
          await form.gotoNew();
          await form.fill({ startDate: '2027-13-45', texts: { [lang]: { title: 'x' } } });
          assert.equal((await form.save()).status(), 400);
          assert.ok(await form.errorSummary.isVisible());
          await check(page, 'form with errors', t);
        }));

      test('edit form with the publication panel', async (t) => {
        const id = await seedActivity(`a11y-edit-${lang}`, { edit: true });
        await asUser(admin, async (page) => {
          const form = new ActivityFormPage(page);
          assert.equal((await form.gotoEdit(id, '?done=saved')).status(), 200);
          assert.ok(await form.workflowPanel.isVisible());
          assert.ok(await form.workflowButton('publish').isVisible());
          assert.ok(await form.notice.isVisible());
          await check(page, 'edit form', t);
        });
      });

      test('conflict page', async (t) => {
        const id = await seedActivity(`a11y-conflict-${lang}`);
        await asUser(admin, async (page) => {
          const form = new ActivityFormPage(page);
          await form.gotoEdit(id);
          await editInDatabase(id, (tx) => ({ ...tx, [lang]: { ...tx[lang]!, title: `Changed by someone else meanwhile (${lang})` } }));
          await form.fill({ texts: { [lang]: { title: `Changed in the form (${lang})` } } });
          assert.equal((await form.save()).status(), 409);
          assert.ok(await form.conflict.isVisible());
          await check(page, 'conflict page', t);
        });
      });

      test('revisions page', async (t) => {
        const id = await seedActivity(`a11y-revisions-${lang}`, { edit: true });
        await asUser(admin, async (page) => {
          const revisions = new RevisionsPage(page);
          assert.equal((await revisions.goto(id)).status(), 200);
          assert.ok(await revisions.diff.isVisible());
          await check(page, 'revisions page', t);
        });
      });

      test('preview page', async (t) => {
        const id = await seedActivity(`a11y-preview-${lang}`);
        await asUser(admin, async (page) => {
          const preview = new PreviewPage(page);
          assert.equal((await preview.goto(id, lang)).status(), 200);
          assert.ok(await preview.banner.isVisible());
          await check(page, 'preview page', t);
        });
      });

      test('audit log', (t) =>
        asUser(admin, async (page) => {
          const audit = new AdminPage(page);
          assert.equal((await audit.gotoPath('/admin/audit')).status(), 200);
          assert.ok(await page.getByTestId('audit-table').isVisible());
          await check(page, 'audit log', t);
        }));

      test('imports: list, new-import form and review page', (t) =>
        asUser(admin, async (page) => {
          const p = new AdminPage(page);
          assert.equal((await p.gotoPath('/admin/imports')).status(), 200);
          await check(page, 'imports list', t);
          assert.equal((await p.gotoPath('/admin/imports/new')).status(), 200);
          await check(page, 'new import form', t);
          const saved = readFileSync(new URL('../src/modules/legacy/fixtures/en-list-activities.txt', import.meta.url), 'utf8');
          await page.locator('#page').fill(saved);
          const review = await p.submitWith(page.getByTestId('read-page'));
          assert.equal(review.status(), 200);
          assert.ok(await page.getByTestId('review-form').isVisible());
          await check(page, 'import review', t);
          const empty = await p.gotoPath('/admin/imports/new');
          assert.equal(empty.status(), 200);
          const refused = await p.submitWith(page.getByTestId('read-page'));
          assert.equal(refused.status(), 400);
          await check(page, 'new import form with errors', t);
        }));

      test('pages, accounts and reference data: lists, forms and a page’s revisions', (t) =>
        asUser(admin, async (page) => {
          const p = new AdminPage(page);
          const paths: [string, string][] = [
            ['/admin/pages', 'pages list'],
            ['/admin/pages/new', 'new page form'],
            ['/admin/users', 'accounts'],
            ['/admin/users/invite', 'invitation form'],
            ['/admin/reference', 'reference data'],
            ['/admin/reference/countries', 'countries'],
            ['/admin/reference/countries/new', 'new country form'],
            ['/admin/reference/organisations', 'organisations'],
            ['/admin/reference/organisations/new', 'new organisation form'],
            ['/admin/reference/themes', 'themes'],
          ];
          for (const [path, label] of paths) {
            assert.equal((await p.gotoPath(path)).status(), 200, path);
            await check(page, label, t);
          }
          await p.gotoPath('/admin/pages');
          const href = await page.getByTestId('admin-pages').locator('a').first().getAttribute('href');
          assert.ok(href);
          assert.equal((await p.gotoPath(href)).status(), 200);
          assert.ok(await page.getByTestId('workflow').isVisible(), 'the page form has the publication panel');
          await check(page, 'page form', t);
          assert.equal((await p.gotoPath(`${href}/revisions`)).status(), 200);
          assert.ok(await page.getByTestId('revisions').isVisible());
          await check(page, 'page revisions', t);
        }));

      test('outbox', (t) =>
        asUser(admin, async (page) => {
          const outbox = new AdminPage(page);
          assert.equal((await outbox.gotoPath('/admin/outbox')).status(), 200);
          await check(page, 'outbox', t);
        }));

      test('403 page', (t) =>
        asUser(FOCAL_BY_LANG[lang], async (page) => {
          const error = new ErrorPage(page);
          assert.equal((await error.goto('/admin/activities')).status(), 403);
          assert.ok(await error.title.isVisible());
          // Its language is checked by the test below.
          for (const line of await assertNoAxeViolations(page, `403 page (${lang})`)) t.diagnostic(line);
        }));

      if (lang === 'fr') {
        // The back-office speaks the account's language on every page, errors included.
        test('the 403 page speaks the signed-in user’s language', () =>
          asUser(FOCAL_BY_LANG.fr, async (page) => {
            const error = new ErrorPage(page);
            assert.equal((await error.goto('/admin/activities')).status(), 403);
            assert.equal(await error.htmlLang(), 'fr');
            assert.equal(((await error.title.textContent()) ?? '').trim(), TEXT.fr.forbidden);
          }));

        test('every back-office page has a French <title>', () =>
          asUser(admin, async (page) => {
            const p = new AdminPage(page);
            const titles: string[] = [];
            for (const path of ['/admin/', '/admin/audit', '/admin/outbox']) {
              await p.gotoPath(path);
              titles.push(await page.title());
            }
            assert.deepEqual(
              titles.map((x) => x.split(' – ')[0]),
              ['Tableau de bord', 'Journal d’audit', 'Boîte d’envoi'],
              `page titles: ${titles.join(' | ')}`,
            );
          }));
      }
    });
  }
});
