import type { Translator } from '../../platform/i18n/i18n.js';
import { url } from '../../platform/http/urls.js';
import type { ActivityCard } from '../activities/index.js';
import { ActivityCardView } from '../activities/index.js';

export interface HomeFigures {
  activities: number;
  ministerials: number;
  partners: number;
  years: number;
}

/** Home page body: introduction, key figures, upcoming and latest activities. */
export function HomePage({ tr, upcoming, latest, figures }: { tr: Translator; upcoming: ActivityCard[]; latest: ActivityCard[]; figures: HomeFigures }): JSX.Element {
  const t = tr.t;
  const figure = (n: number, key: 'home.figure.activities' | 'home.figure.ministerials' | 'home.figure.partners' | 'home.figure.years') => (
    <li>
      <strong safe>{tr.number(n)}</strong> <span safe>{t(key, { count: n })}</span>
    </li>
  );
  return (
    <>
      <h1 safe>{t('home.title')}</h1>
      <p class="lead" safe>
        {t('home.intro')}
      </p>
      <section aria-labelledby="upcoming-title" data-testid="upcoming">
        <h2 id="upcoming-title" safe>
          {t('home.upcoming')}
        </h2>
        {upcoming.length ? (
          <ul class="cards">
            {upcoming.map((card) => (
              <ActivityCardView card={card} tr={tr} />
            ))}
          </ul>
        ) : (
          <p class="muted" safe>
            {t('home.upcomingNone')}
          </p>
        )}
      </section>
      <section aria-labelledby="latest-title" data-testid="latest">
        <h2 id="latest-title" safe>
          {t('home.latest')}
        </h2>
        <ul class="cards">
          {latest.map((card) => (
            <ActivityCardView card={card} tr={tr} />
          ))}
        </ul>
        <p>
          <a href={url('activities.list', tr.lang)} data-testid="all-activities" safe>
            {t('home.allActivities')}
          </a>
        </p>
      </section>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title" safe>
          {t('home.figures')}
        </h2>
        <ul class="figures" data-testid="figures">
          {figure(figures.activities, 'home.figure.activities')}
          {figure(figures.ministerials, 'home.figure.ministerials')}
          {figure(figures.partners, 'home.figure.partners')}
          {figures.years > 0 ? figure(figures.years, 'home.figure.years') : ''}
        </ul>
      </section>
    </>
  );
}
