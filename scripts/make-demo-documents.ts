/**
 * Writes the demo library's PDF files (src/modules/documents/demo/*.pdf) from the texts below, with
 * pdf-lib: run `npx tsx scripts/make-demo-documents.ts` after changing a text. The texts are our own
 * summaries of facts about the founding thematic meeting (Rabat, 15-16 June 2015), marked as demo
 * documents.
 */
import { writeFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const DEMO = new URL('../src/modules/documents/demo/', import.meta.url);

const FILES: Record<string, string[][]> = {
  'agenda-en.pdf': [
    [
      'Rabat Process - Thematic meeting on asylum and international protection',
      'Rabat, 15 and 16 June 2015 - Agenda (demo document)',
      '',
      'Day 1, 15 June',
      'Opening session, chaired by Morocco and Spain.',
      'Statements by the European Union delegation, UNHCR, IOM and the support project run by ICMPD and FIIAPP.',
      'National experiences: Central African Republic, Cote d Ivoire, France, Italy, Morocco, Nigeria, Senegal, Spain, Sweden.',
      'International initiatives: Frontex, UNHCR, IOM, the European Commission and EASO.',
      'Plenary debate on the presentations.',
    ],
    [
      'Day 2, 16 June',
      'Working group 1: regional guidelines for the early identification and referral of migrants in vulnerable situations.',
      'Working group 2: durable solutions - voluntary return, local integration and resettlement.',
      'Reports of the working groups and plenary discussion.',
      'Closing session: draft conclusions and recommendations presented by the co-chairs.',
    ],
  ],
  'agenda-fr.pdf': [
    [
      'Processus de Rabat - Réunion thématique sur l’asile et la protection internationale',
      'Rabat, 15 et 16 juin 2015 - Ordre du jour (document de démonstration)',
      '',
      'Première journée, 15 juin',
      'Séance d’ouverture, présidée par le Maroc et l’Espagne.',
      'Interventions de la délégation de l’Union européenne, du HCR, de l’OIM et du projet d’appui mené par l’ICMPD et la FIIAPP.',
      'Expériences nationales : Côte d’Ivoire, Espagne, France, Italie, Maroc, Nigéria, République centrafricaine, Sénégal, Suède.',
      'Initiatives internationales : Frontex, HCR, OIM, Commission européenne et EASO.',
      'Débat en plénière sur les présentations.',
    ],
    [
      'Deuxième journée, 16 juin',
      'Groupe de travail 1 : lignes directrices régionales pour l’identification précoce et l’orientation des migrants vulnérables.',
      'Groupe de travail 2 : solutions durables - retour volontaire, intégration locale et réinstallation.',
      'Restitution des groupes de travail et discussion en plénière.',
      'Séance de clôture : projet de conclusions et de recommandations présenté par les coprésidents.',
    ],
  ],
  'information-note-en.pdf': [
    [
      'Rabat Process - Thematic meeting on asylum and international protection',
      'Information note (demo document)',
      '',
      'Dates and place: 15 and 16 June 2015, Rabat, Morocco.',
      'Co-chairs: Morocco and Spain.',
      'Aims: a shared understanding of asylum and international protection in the region, and practical',
      'initiatives to help states strengthen national asylum systems and coordinate regional responses.',
      'Background: international protection became a pillar of the dialogue at the Rome ministerial conference, November 2014.',
      'Format: plenary sessions followed by two working groups.',
    ],
  ],
  'information-note-fr.pdf': [
    [
      'Processus de Rabat - Réunion thématique sur l’asile et la protection internationale',
      'Note d’information (document de démonstration)',
      '',
      'Dates et lieu : 15 et 16 juin 2015, Rabat, Maroc.',
      'Coprésidence : le Maroc et l’Espagne.',
      'Objectifs : une lecture commune de l’asile et de la protection internationale dans la région, et des',
      'initiatives concrètes pour renforcer les systèmes nationaux d’asile et coordonner les réponses régionales.',
      'Contexte : la protection internationale est devenue un pilier du dialogue à la conférence ministérielle de Rome, en novembre 2014.',
      'Format : séances plénières, puis deux groupes de travail.',
    ],
  ],
  'working-group-note-en.pdf': [
    [
      'Rabat Process - Thematic meeting on asylum and international protection',
      'Working group 1 - questions for discussion (demo document, partners only)',
      '',
      'Which practices of early identification of vulnerable migrants could partner countries share?',
      'What could the Rabat Process region learn from the regional guidelines of the Puebla Process?',
      'Which referral mechanisms already link border services, asylum authorities and protection actors?',
    ],
  ],
};

for (const [name, pages] of Object.entries(FILES)) {
  const pdf = await PDFDocument.create();
  pdf.setTitle(pages[0]![0]!);
  pdf.setCreationDate(new Date('2015-06-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2015-06-01T00:00:00Z'));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    let y = 790;
    for (const line of lines) {
      // Long lines wrap at about 95 characters.
      const words = line.split(' ');
      let current = '';
      const out: string[] = [];
      for (const w of words) {
        if ((current + ' ' + w).trim().length > 95) {
          out.push(current);
          current = w;
        } else current = (current + ' ' + w).trim();
      }
      out.push(current);
      for (const l of out) {
        page.drawText(l.replace(/’/g, "'"), { x: 50, y, size: 11, font });
        y -= 18;
      }
    }
  }
  writeFileSync(new URL(name, DEMO), await pdf.save({ useObjectStreams: false }));
  console.log(`wrote ${name}`);
}
