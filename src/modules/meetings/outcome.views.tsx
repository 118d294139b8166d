import type { Translator } from '../../platform/i18n/i18n.js';
import type { MeetingOutcome } from './outcome.repository.js';

/** On a held meeting's page: the participation counted from attendance, and the participants who agreed to be named. */
export function MeetingOutcomeBlock({ tr, outcome }: { tr: Translator; outcome: MeetingOutcome }): JSX.Element {
  const t = tr.t;
  const f = outcome.figures;
  return (
    <section aria-labelledby="participation" data-testid="meeting-outcome">
      <h2 id="participation" safe>
        {t('outcome.title')}
      </h2>
      <p data-testid="computed-figures" safe>
        {t('outcome.figures', { participants: f.participants, countries: f.countries, organisations: f.organisations })}
      </p>
      <ul data-testid="computed-details">
        {f.african || f.european ? <li safe>{t('outcome.regions', { african: f.african, european: f.european })}</li> : ''}
        {f.women || f.men ? <li safe>{t('outcome.gender', { women: f.women, men: f.men })}</li> : ''}
      </ul>
      <p class="hint" safe>
        {t('outcome.counted')}
      </p>
      {outcome.participants.length ? (
        <table class="list" data-testid="public-participants">
          <caption safe>{t('outcome.list', { count: outcome.participants.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('outcome.name')}
              </th>
              <th scope="col" safe>
                {t('outcome.function')}
              </th>
              <th scope="col" safe>
                {t('outcome.delegation')}
              </th>
            </tr>
          </thead>
          <tbody>
            {outcome.participants.map((p) => (
              <tr data-testid="public-participant">
                <td safe>{p.name}</td>
                <td safe>{p.function}</td>
                <td safe>{p.delegation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        ''
      )}
    </section>
  );
}
