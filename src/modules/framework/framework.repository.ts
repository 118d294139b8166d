import type { Db } from '../../platform/db/database.js';
import { rememberForContent } from '../../platform/db/read-mostly.js';

export interface ThemeNode {
  id: number;
  code: string;
  level: string;
  number: string | null;
  name: string;
  depth: number;
  parentId: number | null;
  frameworkId: number;
}

export interface FrameworkNode {
  id: number;
  code: string;
  name: string;
  shortName: string;
  periodStart: number | null;
  periodEnd: number | null;
  themes: ThemeNode[];
}

function pick<T extends { lang: string }>(rows: T[], lang: string, fallbackLang: string | undefined): T | undefined {
  return rows.find((r) => r.lang === lang) ?? (fallbackLang === undefined ? undefined : rows.find((r) => r.lang === fallbackLang)) ?? rows[0];
}

/**
 * Every framework with its themes in hierarchy order (depth-first), named in a language.
 * Retired themes are left out of pickers but still name the activities that carry them.
 */
export function frameworkTree(db: Db, lang: string, options: { includeRetired?: boolean; fallbackLang?: string } = {}): Promise<FrameworkNode[]> {
  // The tree changes only through the reference-data commands, which announce it.
  return rememberForContent(db, `framework-tree:${lang}:${options.includeRetired === true}:${options.fallbackLang ?? ''}`, () => loadFrameworkTree(db, lang, options));
}

async function loadFrameworkTree(db: Db, lang: string, options: { includeRetired?: boolean; fallbackLang?: string }): Promise<FrameworkNode[]> {
  const frameworks = await db.selectFrom('frameworks').select(['id', 'code', 'period_start', 'period_end', 'position']).orderBy('position').execute();
  const fnames = await db.selectFrom('framework_names').select(['framework_id', 'lang', 'name', 'short_name']).execute();
  let themeQuery = db.selectFrom('themes').select(['id', 'code', 'framework_id', 'parent_id', 'level', 'number', 'position']).orderBy('position');
  if (!options.includeRetired) themeQuery = themeQuery.where('retired', '=', 0);
  const themes = await themeQuery.execute();
  const tnames = await db.selectFrom('theme_names').select(['theme_id', 'lang', 'name']).execute();
  const nameOf = (id: number) => pick(tnames.filter((n) => n.theme_id === id), lang, options.fallbackLang)?.name ?? '';
  return frameworks.map((f) => {
    const names = pick(fnames.filter((n) => n.framework_id === f.id), lang, options.fallbackLang);
    const ordered: ThemeNode[] = [];
    const walk = (parentId: number | null, depth: number) => {
      for (const t of themes.filter((x) => x.framework_id === f.id && x.parent_id === parentId)) {
        ordered.push({ id: t.id, code: t.code, level: t.level, number: t.number, name: nameOf(t.id), depth, parentId: t.parent_id, frameworkId: f.id });
        walk(t.id, depth + 1);
      }
    };
    walk(null, 0);
    return { id: f.id, code: f.code, name: names?.name ?? f.code, shortName: names?.short_name ?? f.code, periodStart: f.period_start, periodEnd: f.period_end, themes: ordered };
  });
}
