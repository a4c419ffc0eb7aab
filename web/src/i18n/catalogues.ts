// Every catalogue of the app: the shell's own, then one per module (web/src/modules/<m>/i18n/),
// so that modules add their texts without touching each other's files. Keys are prefixed by
// module ("erp.", "hr.") and may not repeat across catalogues (a test checks it). The app reads
// only the type of this file: its texts come one language at a time (./texts/).
import { catalogues as bpm } from '../modules/bpm/i18n';
import { catalogues as crm } from '../modules/crm/i18n';
import { catalogues as erp } from '../modules/erp/i18n';
import { catalogues as hr } from '../modules/hr/i18n';
import en from './en.json';
import ru from './ru.json';
import uz from './uz.json';

export type CatalogueSet = {
  name: string;
  uz: Record<string, string>;
  ru: Record<string, string>;
  en: Record<string, string>;
};

const core = { name: 'core', uz, ru, en };

/** A new module adds `import { catalogues as xx } from '../modules/xx/i18n';` and lists it here. */
export const CATALOGUE_SETS = [core, crm, erp, hr, bpm] as const;

type KeysOf<S> = S extends { en: infer E } ? keyof E & string : never;
/** Every key of every catalogue. */
export type MessageKey = KeysOf<(typeof CATALOGUE_SETS)[number]>;
