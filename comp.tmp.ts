import { mkdtempSync } from 'node:fs';
import { buildShipped } from './bench/bundle';
const r = await buildShipped(mkdtempSync('/tmp/p1-'), false);
console.log(r.shell.map(s=>s.file+':'+s.gzip).join(' '), r.shell.reduce((s, x) => s + x.gzip, 0) / 1024);
for (const c of r.composition) console.log(c.what.padEnd(45), (c.minified / 1024).toFixed(1), (c.gzip / 1024).toFixed(1));
