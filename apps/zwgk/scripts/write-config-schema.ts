// Writes zwgk.config.schema.json from the configuration schema (the app's settings plus the adapters'):
// npm run schema -w zwgk. A test fails while the checked-in file is stale.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config.js';

const file = new URL('../zwgk.config.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(await configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
