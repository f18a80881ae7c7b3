// Run by the root `pretest`: finds or installs the browser the browser tests need. It never fails the
// run: without a browser only the browser tests fail (with the command to run), the others still report.
import { ensureBrowser, hostProbes } from './browser.mjs';

const result = ensureBrowser({ ...hostProbes(), log: (line) => console.log(line) });
if (result.success) {
  if (result.data.installed.length) console.log(`browser tests: installed ${result.data.installed.join(' ')}; using ${result.data.path}`);
} else {
  console.warn(`browser tests will fail: ${result.error}`);
}
