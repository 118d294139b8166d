import type { ActivityType, DocumentType, FigureQualifier } from '../activities/index.js';
import type { PageLanguage } from './legacy.text.js';

/**
 * The words of the old pages, in English, French, Spanish, Portuguese and Italian. Every pattern
 * here runs on folded text (lower case, no diacritics, plain apostrophes and hyphens), so "Réunion"
 * and "reunion" read the same.
 */

export type FieldName = 'date' | 'place' | 'dateplace' | 'country' | 'themes' | 'co_chairs' | 'host' | 'type' | 'format' | 'participants' | 'published' | 'organiser' | 'venue';

const FIELD_LABELS: [FieldName, string][] = [
  ['dateplace', "date and place|date and venue|date & venue|date & place|date et lieu|dates et lieu|fecha y lugar|data e local|data e luogo"],
  ['published', "published|published on|posted|posted on|publication date|date of publication|last updated|updated|publie|publie le|date de publication|mis a jour|publicado|publicado el|publicado em|fecha de publicacion|actualizado|data de publicacao|atualizado|atualizado em|pubblicato|pubblicato il|data di pubblicazione|aggiornato|aggiornato il"],
  ['date', "date|dates|date\\(s\\)|dates? of the (?:meeting|event|activity)|meeting dates?|event dates?|when|date de la reunion|dates de la reunion|date de l'activite|fecha|fechas|fecha\\(s\\)|fecha de la reunion|data|datas|data\\(s\\)|data da reuniao|quando|data della riunione|periode|period|periodo"],
  ['venue', "venue|lieu de la reunion|sede de la reunion|local da reuniao|sede della riunione"],
  ['place', "place|location|where|lieu|lieux|lugar|sede|local|localizacao|luogo|localita|city|ville|ciudad|cidade|citta|place of the meeting|lugar de celebracion"],
  ['country', "country|host city and country|pays|pais|paese"],
  ['themes', "pillars?|domains?|themes?|topics?|thematic areas?|priority areas?|thematiques?|piliers?|domaines?|axes?|pilar(?:es)?|ambitos?|dominios?|temas?|areas? tematicas?|pilastr[oi]|ambit[oi]|dominio|temi|eixos?"],
  ['co_chairs', "co-?chairs?|co-?chaired by|co-?chairmanship|co-?chairing countries|chairs?|co-?presidence|co-?presidents?|co-?presidencia|co-?presidentes|co-?presidenza|co-?presidenti"],
  ['host', "host|hosts|host country|hosted by|pays hote|hote|pays d'accueil|anfitrion|pais anfitrion|anfitriao|pais anfitriao|paese ospitante|ospitante|ospitato da"],
  ['type', "type|type of (?:activity|meeting|event)|activity type|event type|type d'activite|type de reunion|type d'evenement|tipo|tipo de actividad|tipo de atividade|tipo de evento|tipo di attivita|tipo di evento|category|categorie|categoria"],
  ['format', "format|formato|modality|modalite|modalidad|modalidade|modalita"],
  ['participants', "participants|participantes|partecipanti|attendance|number of participants|nombre de participants|numero de participantes|numero di partecipanti"],
  ['organiser', "organi[sz]ed by|organi[sz]ers?|organisateurs?|organise par|organizado por|organizada por|organizadores|organizzato da|organizzatori"],
];

const FIELD_RE = new RegExp(`^\\s*(${FIELD_LABELS.map(([, l]) => `(?:${l})`).join('|')})\\s*[:：]\\s*(.*)$`);

/** A "Label: value" line in any of the five languages, as a field name and its value. */
export function parseField(folded: string, original: string): { field: FieldName; value: string } | null {
  const m = FIELD_RE.exec(folded);
  if (!m) return null;
  const label = m[1]!;
  const field = FIELD_LABELS.find(([, l]) => new RegExp(`^(?:${l})$`).test(label))?.[0];
  if (!field) return null;
  const colon = original.search(/[:：]/);
  return { field, value: original.slice(colon + 1).trim() };
}

/** "Published on 12 April 2019", "Publié le 12/04/2019" — a line that only dates the page. */
export const PUBLISHED_LINE = /^(?:published|posted|last updated|updated|publie|mis a jour|publicado|actualizado|atualizado|pubblicato|aggiornato)(?:\s+(?:on|le|el|em|il|a|at))?\s+\S/;

/** Lines that are navigation, not content. */
export const NAV_LINE =
  /^(?:[<>«»‹›|\s]*)(?:back|go back|back to (?:the )?(?:list|activities|news)|retour|retour a la liste|volver|volver a la lista|voltar|voltar a lista|indietro|torna all'elenco|read more|more|lire la suite|en savoir plus|leer mas|saber mas|ler mais|saiba mais|leggi di piu|leggi tutto|continua a leggere|home|accueil|inicio|pagina inicial|share|share this|partager|compartir|partilhar|condividi|print|imprimer|imprimir|stampa|next|previous|suivant|precedent|siguiente|anterior|seguinte|successivo|precedente|top|back to top|haut de page|skip to (?:main )?content|menu|search|rechercher|buscar|pesquisar|cerca|tweet|facebook|twitter|linkedin|email|e-mail|flickr|youtube)?(?:[<>«»‹›|\s]*)$/;

/** Copyright and cookie lines at the foot of a page. */
export const FOOTER_LINE = /(?:©|\(c\)\s*\d{4}|copyright|all rights reserved|tous droits reserves|todos los derechos reservados|todos os direitos reservados|tutti i diritti riservati|cookies?|privacy policy|politique de confidentialite|mentions legales|aviso legal|legal notice|disclaimer)/;

/** The heading of a page's list of documents. */
export const DOCS_HEADER =
  /^(?:related documents?|documents?|meeting documents|documents? of the (?:meeting|event)|key documents|downloads?|attachments?|related files|files|resources|documents connexes|documents lies|documents de la reunion|documents associes|telechargements?|documentos?(?: relacionados| de la reunion| da reuniao| conexos| relacionados con la reunion)?|descargas|transferencias|documenti(?: correlati| della riunione)?|documentazione|allegati)\s*:?$/;

/** The heading of a page's photos. */
export const PHOTOS_HEADER =
  /^(?:photos?(?: gallery| of the (?:meeting|event))?|gallery|image gallery|galerie(?: photos?)?|photos de la reunion|fotos(?: de la reunion| da reuniao)?|galeria(?: de fotos| de imagens)?|fotografias|foto(?: della riunione)?|galleria(?: fotografica)?|album)\s*:?$/;

/** Links that lead to photos. */
export const PHOTO_LINK = /flickr\.com|\/photos?\b|\/gallery|\/galerie|\/galeria|\/album|instagram\.com\/p\//;
export const PHOTO_WORDS = /\b(?:photos?|gallery|galerie|fotos?|fotografias|galeria|galleria|flickr|album)\b/;

/** A side event of a meeting: its own record. */
export const SIDE_EVENT = /\b(?:side[- ]events?|evenements? paralleles?|evenements? en marge|eventos? paralelos?|eventos? a margem|evento collaterale|eventi collaterali|evento a margine)\b/;
/** Wording that says an event took place on the margins of another. */
export const MARGINS = /\b(?:on the (?:margins|sidelines)|in the margins|en marge|al margen|a margem|a margine)\b/;

/** Words that make a line look like the name of an activity. */
export const ACTIVITY_NOUNS =
  /\b(?:meetings?|conferences?|workshops?|seminars?|training|round ?tables?|roundtables?|consultations?|steering committee|forum|dialogue|webinars?|session|side event|summit|reunions?|conference|ateliers?|seminaires?|formation|table ronde|comite|rencontres?|conferencias?|talleres?|seminarios?|formacion|mesa redonda|consulta|reuniao|reunioes|oficinas?|formacao|riunione|riunioni|conferenza|laboratorio|formazione|tavola rotonda|comitato|incontro|evento|evenement|cumbre|sommet|vertice|cimeira)\b/;

/** Activity types from the wording, most specific first; the first three are never a side event's own type. */
export const TYPE_RULES: [ActivityType, RegExp][] = [
  ['ministerial_conference', /\b(?:ministerial conference|ministerial meeting|euro-african (?:ministerial )?conference|conference ministerielle|reunion ministerielle|conference euro-africaine|conferencia ministerial|reunion ministerial|conferencia euroafricana|reuniao ministerial|conferenza ministeriale|riunione ministeriale)\b/],
  ['senior_officials_meeting', /\b(?:senior officials'? meetings?|meetings? of (?:the )?senior officials|reunions? des hauts fonctionnaires|reunions? de hauts fonctionnaires|reunion de altos funcionarios|reuniao de altos funcionarios|riunione (?:degli|di) alti funzionari)\b/],
  ['steering_committee', /\b(?:steering committee|comite de pilotage|comite directivo|comite de direccion|comite de pilotaje|comite diretor|comite de direcao|comite de pilotagem|comitato direttivo|comitato di pilotaggio|comitato di indirizzo)\b/],
  ['thematic_meeting', /\b(?:thematic meetings?|reunions? thematiques?|reunion(?:es)? tematicas?|reunia?o(?:es)? tematicas?|riunion[ei] tematic[ahe]+)\b/],
  ['regional_workshop', /\b(?:regional workshops?|ateliers? regiona(?:l|ux)|taller(?:es)? regional(?:es)?|seminarios? regional(?:es)?|workshops? regiona(?:l|is|le|li)|oficinas? regiona(?:l|is)|seminari[oi] regional[ei]|laboratori[oi] regional[ei])\b/],
  ['technical_workshop', /\b(?:technical workshops?|technical meetings?|workshops?|ateliers?(?: techniques?)?|reunions? techniques?|seminars?|seminaires?|talleres?|reunion(?:es)? tecnicas?|seminarios?|oficinas?|reunia?o(?:es)? tecnicas?|seminari[oi]|laboratori[oi](?: tecnic[oi])?|riunion[ei] tecnic[ahe]+)\b/],
  ['training', /\b(?:trainings?|training sessions?|capacity[- ]building|formations?|sessions? de formation|formacion|cursos?|capacitacion|formacao|capacitacao|formazione|corsi di formazione)\b/],
  ['roundtable', /\b(?:round ?tables?|roundtables?|tables? rondes?|mesas? redondas?|tavol[ae] rotond[ae])\b/],
  ['consultation', /\b(?:consultations?|consultas?|consultac(?:ao|oes)|consultazion[ei])\b/],
];

/** Document types from a document's title, most specific first. */
export const DOCUMENT_RULES: [DocumentType, RegExp][] = [
  ['list_of_participants', /\b(?:lists? of participants|participants'? lists?|participant lists?|liste des participants|lista de (?:los )?participantes|lista dos participantes|lista dei partecipanti|elenco dei partecipanti)\b/],
  ['concept_note', /\b(?:concept notes?|concept papers?|notes? conceptuelles?|note de cadrage|notas? conceptua(?:l|is|les)|nota de concepto|nota concettuale|documento de concepto)\b/],
  ['information_note', /\b(?:information notes?|info notes?|logistic(?:al|s)? notes?|notes? d'information|note logistique|note informative|notas? informativas?|nota de informacion|nota de informacao|nota logistica|nota informativa)\b/],
  ['agenda', /\b(?:agendas?|annotated agenda|programme|program|ordre du jour|programa|orden del dia|ordem do dia|ordine del giorno|programma)\b/],
  ['conclusions', /\b(?:conclusions?|recommendations?|conclusiones|recomendaciones|conclusoes|recomendacoes|conclusioni|raccomandazioni|key messages|messages cles)\b/],
  ['declaration', /\b(?:declarations?|declaracion|declaracao|dichiarazione)\b/],
  ['presentations', /\b(?:presentations?|presentaciones|presentacion|apresentac(?:ao|oes)|presentazion[ei]|slides)\b/],
  ['final_report', /\b(?:final report|reports?|rapports?|compte[- ]rendu|summary of (?:the )?debates?|proceedings|informes?|relatorios?|relazion[ei]|rapport[oi]|resoconto|actes)\b/],
];

/** Words that introduce a figure, by qualifier; "cerca de" means "close to" in Spanish and "about" in Portuguese. */
export function qualifierWords(lang: PageLanguage): [FigureQualifier, string][] {
  const cercaDe = lang === 'pt' ? 'around' : 'nearly';
  return [
    ['over', "over|more than|in excess of|upwards of|above|well over|plus de|plus d'|au-dela de|mas de|mas del|mais de|acima de|oltre|oltre a|piu di|superiore a"],
    ['nearly', "nearly|almost|close to|just under|nearly some|pres de|presque|quasi|casi|quase|perto de|vicino a|poco meno di"],
    [cercaDe as FigureQualifier, 'cerca de'],
    ['around', "around|about|approximately|approx\\.?|some|roughly|an estimated|circa|environ|quelque|quelques|approximativement|alrededor de|aproximadamente|unos|unas|uns|umas|em torno de|por volta de|cerca di|intorno a|all'incirca|approssimativamente"],
  ];
}

/** "une cinquantaine de", "una ventina di", "un centinaio di": approximate numbers written as words. */
export const APPROXIMATE_NOUNS: Record<string, number> = {
  dizaine: 10, vingtaine: 20, trentaine: 30, quarantaine: 40, cinquantaine: 50, soixantaine: 60, centaine: 100,
  decena: 10, veintena: 20, treintena: 30, cincuentena: 50, centenar: 100, centena: 100,
  dezena: 10, vintena: 20, trintena: 30, cinquentena: 50,
  decina: 10, ventina: 20, trentina: 30, quarantina: 40, cinquantina: 50, sessantina: 60, centinaio: 100,
};

export const PARTICIPANT_NOUNS =
  "participants?|participantes?|partecipanti|representatives|representants|representantes|rappresentanti|delegates|delegues|delegados|delegati|experts|expertos|especialistas|peritos|esperti|attendees|people|persons|personnes|personas|pessoas|persone|officials|fonctionnaires|funcionarios|funzionari|practitioners|praticiens|stakeholders|acteurs|actores|attori|delegations|delegaciones|delegacoes|delegazioni";
export const COUNTRY_NOUNS = 'countries|pays|paises|paesi|states|etats|estados|stati|nations|nationalities|nationalites|nacionalidades|nazionalita';
export const ORGANISATION_NOUNS =
  'organi[sz]ations|organismes|organizaciones|organizacoes|organizzazioni|institutions|instituciones|instituicoes|istituzioni|agencies|agences|agencias|agenzie|entities|entites|entidades|enti';

/** Verbs and phrases that tie a date to the meeting itself. */
export const MEETING_VERBS =
  /\b(?:took place|take place|taking place|takes place|was held|were held|will be held|to be held|is held|being held|held|will hold|holds|will convene|will organi[sz]e|will gather|will bring together|will meet|met|gathered|brought together|bringing together|convened|was organi[sz]ed|will be organi[sz]ed|hosted|opened|participated|attended|scheduled|s'est tenue?s?|se tiendra|se tient|tenue?s?|a eu lieu|aura lieu|ont eu lieu|s'est deroulee?s?|se deroulera|se deroule|a reuni|reunira|a rassemble|rassemblera|organisee?|a accueilli|accueillera|ont participe|tuvo lugar|tendra lugar|tiene lugar|se celebro|se celebrara|se celebra|celebrada|se realizo|se realizara|se llevo a cabo|se llevara a cabo|reunio|congrego|acogio|acogera|participaron|teve lugar|tera lugar|tem lugar|realizou-se|realizar-se-a|realiza-se|decorreu|decorrera|decorre|reuniu|acolheu|acolhera|participaram|foi realizada|sera realizada|si e svolt[ao]|si svolgera|si svolge|si e tenut[ao]|si terra|si tiene|ha avuto luogo|avra luogo|ha riunito|riunira|ha ospitato|ospitera|hanno partecipato)\b/;

/** Words that say a date belongs to something else: an earlier event, an adoption, a deadline. */
export const OTHER_EVENT_WORDS =
  /\b(?:last|previous|preceding|former|since|adopted|signed|launched|deadline|registration|register by|derniere|dernier|precedente?|depuis|adopte|lance|date limite|inscriptions?|anterior|pasada|ultima|desde|adoptad[oa]|plazo|inscripcion|passada|adotad[oa]|prazo|inscricao|scorsa|ultimo|adottat[oa]|scadenza|iscrizion[ei]|summit of|sommet de)\b/;

/** Words that date the page rather than the meeting. */
export const PUBLICATION_WORDS = /\b(?:published|posted|publication|updated|publie|mis a jour|publicado|actualizado|atualizado|pubblicato|aggiornato)\b/;

/** A look-back, report or outcome page. */
export const REPORT_WORDS =
  /^(?:a )?look(?:ing)? back|\b(?:took place|was held|were held|s'est tenue?|a eu lieu|ont eu lieu|se celebro|tuvo lugar|realizou-se|decorreu|teve lugar|si e svolt[ao]|si e tenut[ao]|ha avuto luogo|outcomes? of|retour sur|balance de|cronica de|resoconto)\b/;
/** An announcement of a meeting to come. */
export const ANNOUNCEMENT_WORDS =
  /\b(?:will (?:be held|take place)|to be held|upcoming|save the date|forthcoming|se tiendra|aura lieu|a venir|prochaine?|se celebrara|tendra lugar|proxim[ao]|tera lugar|realizar-se-a|decorrera|si terra|avra luogo|si svolgera|prossim[ao]|call for (?:participants|applications|papers)|registration is open|inscriptions? (?:sont )?ouvertes?)\b/;

/** Framing words at the start of a page title ("Look back at the", "Retour sur la"), not part of the activity's name. */
export const TITLE_PREFIXES: RegExp[] = [
  /^(?:side[- ]event|evenement parallele|evenement en marge|evento paralelo|evento collaterale|evento a margine)\s*[:–-]\s*/,
  /^(?:a )?look(?:ing)? back (?:at|on) (?:the )?/,
  /^(?:announcement|save the date|invitation|report|news|press release|event|upcoming|update|recap|highlights?|outcome)\s*[:–-]\s*/,
  /^retour sur (?:la |le |les |l')?/,
  /^(?:annonce|communique(?: de presse)?|compte[- ]rendu|a venir|actualites?|invitation)\s*[:–-]\s*/,
  /^(?:balance|cronica|resumen)(?: de(?: la| el| los| las)?)?\s+/,
  /^(?:anuncio|nota de prensa|comunicado(?: de prensa| de imprensa)?)\s*[:–-]\s*/,
  /^(?:balanco|retrospetiva|retrospectiva)(?: d[aoe]s?)?\s+/,
  /^(?:resoconto|uno sguardo (?:indietro )?(?:su|a))(?: (?:del|della|dei|degli|dell'|al|alla|all'))?\s*/,
  /^(?:annuncio|comunicato stampa)\s*[:–-]\s*/,
];

/** Announcement clauses at the end of a page title ("... to be held in Dakar"). */
export const TITLE_TRAILERS: RegExp[] = [
  /\s+(?:to be held|will be held|will take place|takes place|took place|was held|held|is taking place)\b.*$/,
  /\s+(?:se tiendra|aura lieu|s'est tenue?|a eu lieu|se tient|se deroulera|s'est deroulee?)\b.*$/,
  /\s+(?:se celebrara|tendra lugar|se celebro|tuvo lugar|se celebra)\b.*$/,
  /\s+(?:tera lugar|realiza-se|realizou-se|decorreu|decorrera|decorre)\b.*$/,
  /\s+(?:si terra|avra luogo|si e svolt[ao]|si e tenut[ao]|si svolge)\b.*$/,
  /\s*[|–-]\s*(?:rabat process|processus de rabat|proceso de rabat|processo de rabat|processo di rabat)\s*$/,
  /\s*[:–-]\s*(?:save the date|announcement|annonce)\s*$/,
];

export const VIRTUAL_WORDS =
  /\b(?:online|on-line|virtual(?:ly)?|videoconference|video conference|video-conference|webinars?|en ligne|virtuel(?:le)?|visioconference|visio-conference|en linea|videoconferencia|em linha|videoconferenza|in modalita virtuale|da remoto|a distance|remotely)\b/;
export const IN_PERSON_WORDS = /\b(?:in person|in-person|on site|on-site|face-to-face|en presentiel|presentiel|sur place|presencial|in presenza)\b/;
export const HYBRID_WORDS =
  /\b(?:hybrid|hybride|hibrid[oa]|ibrid[oa]|in person and online|in-person and online|on-site and online|in person and virtually|en presentiel et en ligne|presentiel et a distance|presencial y (?:virtual|en linea)|presencial e (?:virtual|online|a distancia)|in presenza e online|in presenza e da remoto)\b/;

/** Phrases after which the co-chairs are named. */
export const CO_CHAIR_EXPLICIT =
  /\b(?:co-?chaired by|jointly chaired by|under the co-?chair(?:man)?ship of|co-?chairs?(?: of the meeting)?(?: were| are| was)?\s*:?|co-?presidee?s? par|sous la co-?presidence (?:de|du|des)|co-?presidents?\s*:|copresidid[oa]s? por|co-?presidid[oa]s? por|bajo la co-?presidencia de|sob a co-?presidencia d[aoe]s?|co-?presiedut[oa] da|sotto la co-?presidenza d(?:i|el|ella|ei|egli|ell'))\b/;
/** Any mention of co-chairs, for sentences that name them less directly. */
export const CO_CHAIR_WORDS = /\bco-?chair|\bco-?presid|\bcopresid|\bjointly chaired/;

/** Phrases after which the host is named. */
export const HOST_EXPLICIT =
  /\b(?:(?:kindly )?hosted by|at the invitation of|host country(?: was| is)?\s*:?|accueillie? par|a l'invitation d(?:e|u|es)|pays hote|acogid[oa] por|por invitacion de|pais anfitrion|acolhid[oa] por|a convite d[aoe]s?|pais anfitriao|ospitat[oa] da|su invito d(?:i|el|ella|ei|egli|ell')|paese ospitante)\b/;
/** "Morocco hosted", "le Sénégal accueillera": the host named before the verb. */
export const HOST_VERB_AFTER = /\b(?:hosted|hosts|will host|accueille|accueillera|a accueilli|acogio|acoge|acogera|acolheu|acolhe|acolhera|ha ospitato|ospita|ospitera)\b/;

/** Theme levels written with a number ("Pillar 4", "Domaine 3", "Objective 5a"). */
export const THEME_NUMBER =
  /\b(pillars?|domains?|objectives?|piliers?|domaines?|objectifs?|pilar(?:es)?|ambitos?|dominios?|objetivos?|eixos?|pilastr[oi]|ambit[oi]|obiettiv[oi])\s*(?:n[o°º.]*\s*)?(\d{1,2}[ab]?)\b/g;

/** Tokens of Spanish, Portuguese and Italian theme names, in English, to compare with the frameworks' names. */
export const THEME_TOKEN_EN: Record<string, string> = {
  proteccion: 'protection', protecao: 'protection', protezione: 'protection',
  internacional: 'international', internazionale: 'international',
  migracion: 'migration', migraciones: 'migration', migracao: 'migration', migracoes: 'migration', migrazione: 'migration', migrazioni: 'migration',
  legale: 'legal', regolare: 'regular', irregolare: 'irregular',
  desarrollo: 'development', desenvolvimento: 'development', sviluppo: 'development',
  retorno: 'return', regreso: 'return', rimpatrio: 'return', ritorno: 'return', rimpatri: 'return',
  readmision: 'readmission', readmissao: 'readmission', riammissione: 'readmission',
  reintegracion: 'reintegration', reintegracao: 'reintegration', reintegrazione: 'reintegration',
  asilo: 'asylum', movilidad: 'mobility', mobilidade: 'mobility', mobilita: 'mobility',
  fronteras: 'border', fronteiras: 'border', frontiere: 'border', gestion: 'management', gestao: 'management', gestione: 'management',
  trata: 'trafficking', tratta: 'trafficking', trafico: 'smuggling', traffico: 'smuggling', contrabando: 'smuggling',
  causas: 'cause', cause: 'cause', profundas: 'root', profonde: 'root', raiz: 'root',
  refugiados: 'refugee', rifugiati: 'refugee', desplazamiento: 'displacement', deslocamento: 'displacement', sfollamento: 'displacement',
  forzado: 'forced', forcado: 'forced', forzato: 'forced', sinergias: 'synergy', sinergie: 'synergy',
  beneficios: 'benefit', benefici: 'benefit', lucha: 'combating', luta: 'combating', lotta: 'combating',
};
