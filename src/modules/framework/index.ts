import './framework.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { loadFrameworkReferenceData } from './reference-data.js';

export { frameworkTree, type FrameworkNode } from './framework.repository.js';
export { THEME_LEVELS } from './framework.schemas.js';
export { readFrameworkFixtures } from './reference-data.js';

/** The dialogue's frameworks (Rabat 2006 to Cadiz 2022) and their themes. */
export const frameworkModule: DiwanModule = {
  name: 'framework',
  async referenceData(db) {
    const r = await loadFrameworkReferenceData(db);
    return `${r.frameworks} frameworks with ${r.themes} themes`;
  },
};
