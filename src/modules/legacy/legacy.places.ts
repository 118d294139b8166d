import { readDirectoryFixtures } from '../directory/index.js';
import { fold } from './legacy.text.js';

/**
 * Countries, cities and organisations as the old pages name them. English and French country names
 * come from the directory's reference data; Spanish, Portuguese and Italian names, usual variants
 * ("Kingdom of Morocco", "Ivory Coast") and a gazetteer of the cities where the dialogue meets are
 * kept here.
 */

interface CountryRecord {
  code: string;
  name: Record<string, string>;
}
interface OrganisationRecord {
  code: string;
  name: Record<string, string>;
  abbr?: Record<string, string>;
}

const directoryFixtures = readDirectoryFixtures();
const directoryCountries = directoryFixtures.countries as CountryRecord[];
const directoryOrganisations = directoryFixtures.organisations as OrganisationRecord[];

/** Spanish | Portuguese | Italian names (with variants after a slash) of the directory's countries. */
const OTHER_NAMES: Record<string, string> = {
  AT: 'Austria | Áustria | Austria',
  BE: 'Bélgica | Bélgica | Belgio',
  BF: 'Burkina Faso | Burkina Faso | Burkina Faso',
  BG: 'Bulgaria | Bulgária | Bulgaria',
  BJ: 'Benín | Benim/Benin | Benin',
  CD: 'República Democrática del Congo/RD del Congo | República Democrática do Congo/RD do Congo | Repubblica Democratica del Congo',
  CF: 'República Centroafricana | República Centro-Africana/República Centro Africana | Repubblica Centrafricana',
  CG: 'República del Congo/Congo | República do Congo/Congo | Repubblica del Congo/Congo',
  CH: 'Suiza | Suíça | Svizzera',
  CI: 'Costa de Marfil | Costa do Marfim | Costa d’Avorio',
  CM: 'Camerún | Camarões | Camerun',
  CV: 'Cabo Verde | Cabo Verde | Capo Verde',
  CY: 'Chipre | Chipre | Cipro',
  CZ: 'Chequia/República Checa | Chéquia/República Checa/República Tcheca | Cechia/Repubblica Ceca',
  DE: 'Alemania | Alemanha | Germania',
  DK: 'Dinamarca | Dinamarca | Danimarca',
  DZ: 'Argelia | Argélia | Algeria',
  EE: 'Estonia | Estónia/Estônia | Estonia',
  EG: 'Egipto | Egito/Egipto | Egitto',
  ES: 'España | Espanha | Spagna',
  FI: 'Finlandia | Finlândia | Finlandia',
  FR: 'Francia | França | Francia',
  GA: 'Gabón | Gabão | Gabon',
  GB: 'Reino Unido | Reino Unido | Regno Unito',
  GH: 'Ghana | Gana | Ghana',
  GM: 'Gambia | Gâmbia | Gambia',
  GN: 'Guinea/Guinea Conakry | Guiné/Guiné-Conacri | Guinea',
  GQ: 'Guinea Ecuatorial | Guiné Equatorial | Guinea Equatoriale',
  GR: 'Grecia | Grécia | Grecia',
  GW: 'Guinea-Bisáu/Guinea-Bissau/Guinea Bissau | Guiné-Bissau | Guinea-Bissau',
  HR: 'Croacia | Croácia | Croazia',
  HU: 'Hungría | Hungria | Ungheria',
  IE: 'Irlanda | Irlanda | Irlanda',
  IS: 'Islandia | Islândia | Islanda',
  IT: 'Italia | Itália | Italia',
  LR: 'Liberia | Libéria | Liberia',
  LT: 'Lituania | Lituânia | Lituania',
  LU: 'Luxemburgo | Luxemburgo | Lussemburgo',
  LV: 'Letonia | Letónia/Letônia | Lettonia',
  LY: 'Libia | Líbia | Libia',
  MA: 'Marruecos | Marrocos | Marocco',
  ML: 'Malí | Mali | Mali',
  MR: 'Mauritania | Mauritânia | Mauritania',
  MT: 'Malta | Malta | Malta',
  NE: 'Níger | Níger | Niger',
  NG: 'Nigeria | Nigéria | Nigeria',
  NL: 'Países Bajos | Países Baixos | Paesi Bassi',
  NO: 'Noruega | Noruega | Norvegia',
  PL: 'Polonia | Polónia/Polônia | Polonia',
  PT: 'Portugal | Portugal | Portogallo',
  RO: 'Rumanía/Rumania | Roménia/Romênia | Romania',
  SE: 'Suecia | Suécia | Svezia',
  SI: 'Eslovenia | Eslovénia/Eslovênia | Slovenia',
  SK: 'Eslovaquia | Eslováquia | Slovacchia',
  SL: 'Sierra Leona | Serra Leoa | Sierra Leone',
  SN: 'Senegal | Senegal | Senegal',
  ST: 'Santo Tomé y Príncipe | São Tomé e Príncipe | São Tomé e Príncipe',
  TD: 'Chad | Chade | Ciad',
  TG: 'Togo | Togo | Togo',
  TN: 'Túnez | Tunísia | Tunisia',
};

/** Names the pages use that are neither the directory's nor a plain translation. */
const VARIANTS: Record<string, string[]> = {
  CI: ['Ivory Coast', 'Cote d Ivoire'],
  CV: ['Cape Verde', 'Cap-Vert', 'Cap Vert'],
  CD: ['DR Congo', 'DRC', 'RDC', 'RD Congo', 'Congo-Kinshasa', 'Democratic Republic of Congo'],
  CG: ['Republic of the Congo', 'Republic of Congo', 'Congo-Brazzaville', 'Congo Brazzaville', 'République du Congo'],
  CZ: ['Czech Republic', 'République tchèque'],
  GB: ['UK', 'Great Britain', 'United Kingdom of Great Britain and Northern Ireland'],
  GM: ['The Gambia'],
  GN: ['Guinea-Conakry', 'Guinée-Conakry', 'Guinea Conakry', 'Guinée Conakry'],
  GW: ['Guinea Bissau', 'Guinée Bissau'],
  NL: ['The Netherlands'],
  ST: ['Sao Tome and Principe', 'São Tomé and Príncipe', 'Sao Tome', 'São Tomé'],
  ET: ['Ethiopia', 'Éthiopie', 'Etiopía', 'Etiópia', 'Etiopia'],
};

/** Cities the dialogue has met in, or may: folded name → country. Capitals of the partners, and the usual venues. */
const CITIES: Record<string, string> = {
  MA: 'Rabat, Marrakesh/Marrakech/Marrakesch/Marrakech, Casablanca, Tangier/Tanger/Tánger, Fez/Fès/Fes, Agadir, Skhirat, Oujda',
  ES: 'Madrid, Barcelona, Cadiz/Cádiz/Cadix/Cadice, Seville/Sevilla/Séville/Siviglia, Malaga/Málaga, Las Palmas, Santa Cruz de Tenerife, Valencia',
  SN: 'Dakar, Saly, Saint-Louis, Thiès',
  FR: 'Paris/Parigi, Marseille/Marsella/Marselha/Marsiglia, Lyon, Strasbourg',
  IT: 'Rome/Roma, Milan/Milano/Milán/Milão, Naples/Napoli/Nápoles, Palermo, Turin/Torino, Catania',
  PT: 'Lisbon/Lisboa/Lisbonne/Lisbona, Porto',
  BE: 'Brussels/Bruxelles/Bruselas/Bruxelas, Antwerp/Anvers',
  NG: 'Abuja, Lagos',
  GH: 'Accra',
  CI: 'Abidjan, Yamoussoukro',
  ML: 'Bamako',
  BF: 'Ouagadougou',
  NE: 'Niamey, Agadez',
  MR: 'Nouakchott',
  GM: 'Banjul',
  GN: 'Conakry',
  GW: 'Bissau',
  SL: 'Freetown',
  LR: 'Monrovia',
  TG: 'Lomé',
  BJ: 'Cotonou, Porto-Novo',
  CM: 'Yaoundé, Douala',
  GA: 'Libreville',
  GQ: 'Malabo',
  CG: 'Brazzaville',
  CD: 'Kinshasa',
  CF: 'Bangui',
  TD: "N'Djamena/Ndjamena",
  CV: 'Praia, Mindelo',
  ST: 'São Tomé city',
  TN: 'Tunis, Hammamet',
  DZ: 'Algiers/Alger/Argel/Algeri',
  LY: 'Tripoli',
  EG: 'Cairo/Le Caire/El Cairo',
  AT: 'Vienna/Vienne/Viena/Wien',
  CH: 'Geneva/Genève/Ginebra/Genebra/Ginevra, Bern/Berne/Berna',
  DE: 'Berlin/Berlino/Berlim',
  NL: 'The Hague/La Haye/La Haya/Haia/L’Aia, Amsterdam',
  MT: 'Valletta/La Valette/La Valeta',
  GR: 'Athens/Athènes/Atenas/Atene',
  PL: 'Warsaw/Varsovie/Varsovia/Varsóvia/Varsavia',
  CZ: 'Prague/Praga',
  HU: 'Budapest',
  SK: 'Bratislava',
  SI: 'Ljubljana',
  HR: 'Zagreb',
  RO: 'Bucharest/Bucarest/Bucareste',
  BG: 'Sofia',
  SE: 'Stockholm/Estocolmo/Stoccolma',
  FI: 'Helsinki',
  DK: 'Copenhagen/Copenhague/Copenaghen',
  NO: 'Oslo',
  IE: 'Dublin/Dublino',
  EE: 'Tallinn',
  LV: 'Riga',
  LT: 'Vilnius',
  CY: 'Nicosia/Nicosie',
  GB: 'London/Londres/Londra',
  IS: 'Reykjavik',
  ET: 'Addis Ababa/Addis-Abeba/Adís Abeba/Adis Abeba',
  LU: 'Luxembourg City',
};

/** Names of organisations in Spanish, Portuguese and Italian, and usual variants. */
const ORGANISATION_VARIANTS: Record<string, string[]> = {
  ec: ['Comisión Europea', 'Comissão Europeia', 'Commissione europea', 'European Commission'],
  ecowas: ['ECOWAS', 'CEDEAO', 'Economic Community of West African States', 'Communauté économique des États de l’Afrique de l’Ouest', 'Comunidad Económica de los Estados de África Occidental'],
  unhcr: ['ACNUR', 'UNHCR'],
  iom: ['OIM', 'IOM'],
  auc: ['African Union Commission', 'Comisión de la Unión Africana', 'Comissão da União Africana', 'Commissione dell’Unione africana'],
};

export interface NameHit {
  code: string;
  index: number;
  end: number;
  text: string;
}

interface Matcher {
  re: RegExp;
  byName: Map<string, string>;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher over folded text: longest names first, whole words only (a hyphen joins words). */
function matcher(entries: [string, string][]): Matcher {
  const byName = new Map<string, string>();
  for (const [name, code] of entries) {
    const f = fold(name).replace(/\s+/g, ' ').trim();
    if (f && !byName.has(f)) byName.set(f, code);
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\p{L}\\p{N}-])(?:${names.join('|')})(?![\\p{L}\\p{N}]|-\\p{L})`, 'gu');
  return { re, byName };
}

function countryEntries(): [string, string][] {
  const out: [string, string][] = [];
  for (const c of directoryCountries) {
    for (const n of Object.values(c.name)) out.push([n, c.code]);
  }
  for (const [code, line] of Object.entries(OTHER_NAMES)) {
    for (const n of line.split(/[|/]/)) out.push([n.trim(), code]);
  }
  for (const [code, names] of Object.entries(VARIANTS)) for (const n of names) out.push([n, code]);
  return out;
}

const COUNTRY_MATCHER = matcher(countryEntries());

const CITY_MATCHER = matcher(
  Object.entries(CITIES).flatMap(([code, line]) =>
    line.split(',').flatMap((group) => group.split('/').map((n) => [n.trim().replace(/ city$/, ''), code] as [string, string])),
  ),
);

const ORGANISATION_MATCHER = (() => {
  const entries: [string, string][] = [];
  for (const o of directoryOrganisations) {
    for (const n of Object.values(o.name)) entries.push([n, o.code]);
    for (const a of Object.values(o.abbr ?? {})) if (a.length >= 3) entries.push([a, o.code]);
  }
  for (const [code, names] of Object.entries(ORGANISATION_VARIANTS)) for (const n of names) entries.push([n, code]);
  return matcher(entries);
})();

const UPPER_ABBR = /^[\p{Lu}]{3,}$/u;

function scan(m: Matcher, text: string, requireCapital: boolean): NameHit[] {
  const folded = fold(text);
  // Folding keeps the length for the scripts these pages use; when it does not, matches fall back to folded offsets.
  const sameLength = folded.length === text.length;
  const out: NameHit[] = [];
  for (const hit of folded.matchAll(m.re)) {
    const code = m.byName.get(hit[0]);
    if (!code) continue;
    const original = sameLength ? text.slice(hit.index, hit.index + hit[0].length) : hit[0];
    if (requireCapital && sameLength && !/^\p{Lu}/u.test(original)) continue;
    out.push({ code, index: hit.index, end: hit.index + hit[0].length, text: original });
  }
  return out;
}

/** Countries named in a text, in order: ISO alpha-2 code and where. Names must be capitalised as names are. */
export function findCountries(text: string): NameHit[] {
  return scan(COUNTRY_MATCHER, text, true);
}

/** The country a whole value names ("Morocco", "Maroc", "Marruecos", "Kingdom of Spain"), or null. */
export function countryNamed(value: string): string | null {
  const v = value.trim().replace(/^(?:the|la|le|l'|el|o|a|il)\s+/i, '');
  const f = fold(v).replace(/\s+/g, ' ');
  const direct = COUNTRY_MATCHER.byName.get(f);
  if (direct) return direct;
  const hits = findCountries(v);
  if (hits.length === 1 && /^(kingdom|republic|royaume|république|reino|república|regno|repubblica|state|état|estado|stato)\b/i.test(fold(v))) return hits[0]!.code;
  return null;
}

/** Cities of the gazetteer named in a text, capitalised, with their country. */
export function findCities(text: string): NameHit[] {
  return scan(CITY_MATCHER, text, true);
}

/** The gazetteer's country of a city name, or null when the city is unknown. */
export function cityCountry(name: string): string | null {
  return CITY_MATCHER.byName.get(fold(name).replace(/\s+/g, ' ').trim()) ?? null;
}

/** Organisations named in a text, by directory code; abbreviations must be written in capitals. */
export function findOrganisations(text: string): NameHit[] {
  return scan(ORGANISATION_MATCHER, text, false).filter((h) => {
    const short = h.text.length <= 8 && !/\s/.test(h.text);
    return !short || UPPER_ABBR.test(h.text) || /^Frontex$/i.test(h.text) || /^Interpol$/i.test(h.text);
  });
}

/** Every code the extractor may produce for a country, for tests and checks. */
export function knownCountryCodes(): string[] {
  return [...new Set(COUNTRY_MATCHER.byName.values())].sort();
}
