import { score } from '../dist/index.js';
import { minimalScore } from './minimal-scorer.js';
import { makeCounty } from './synthetic-province.js';
const cs = Array.from({ length: 120 }, (_, c) => makeCounty(c));
const t = (f: () => void) => { const s = performance.now(); f(); return (performance.now() - s).toFixed(0); };
for (let i = 0; i < 8; i++) {
  console.log('minimal', t(() => { for (const c of cs) minimalScore(c.plan, c.records, '2022-12-31'); }), 'score', t(() => { for (const c of cs) score(c.plan, c.records, { asOf: '2022-12-31' }); }));
}
