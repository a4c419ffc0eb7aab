// The business modules this suite loads, in order. Each is a folder with an index.ts that
// exports one definition (see docs/architecture.md, "Adding a module").
import type { ModuleDefinition } from '../server/core/module.js';
import { bpmModule } from './bpm/index.js';
import { crmModule } from './crm/index.js';
import { erpModule } from './erp/index.js';
import { hrModule } from './hr/index.js';
import { intakeModule } from './intake/index.js';

export const installedModules: ModuleDefinition[] = [erpModule, hrModule, crmModule, intakeModule, bpmModule];
