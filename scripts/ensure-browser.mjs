// Run by the root `pretest`: finds or installs the browser (and the document tools) the tests need. It never fails the
// run: without a browser only the browser tests fail (with the command to run), the others still report.
import { ensureBrowser, hostProbes, installPlan } from './browser.mjs';

const host = hostProbes();
const result = ensureBrowser({ ...host, log: (line) => console.log(line) });
if (result.success) {
  if (result.data.installed.length) console.log(`browser tests: installed ${result.data.installed.join(' ')}; using ${result.data.path}`);
} else {
  console.warn(`browser tests will fail: ${result.error}`);
}

// The 通报 test converts a .docx with LibreOffice and reads the PDF back with poppler: on Debian as root
// they are installed here too, so that `npm ci && npm test` passes on a fresh machine; elsewhere the test
// itself fails with the command to run.
const documentTools = [
  ['libreoffice-writer-nogui', ['/usr/bin/soffice', '/usr/bin/libreoffice']],
  ['poppler-utils', ['/usr/bin/pdftotext']],
];
const missingTools = documentTools.filter(([, paths]) => !paths.some((p) => host.exists(p))).map(([pkg]) => pkg);
if (missingTools.length > 0) {
  const plan = installPlan({ ...host, packages: missingTools });
  if (plan.canInstall) {
    console.log(`document tests: installing ${missingTools.join(' ')} with apt-get (${plan.command})`);
    try {
      host.install(missingTools);
    } catch (error) {
      console.warn(`document tests will fail: installing ${missingTools.join(' ')} failed (${error instanceof Error ? error.message : String(error)}); run: ${plan.command}`);
    }
  } else {
    const command = host.isDebian ? plan.command : 'install LibreOffice (soffice) and poppler (pdftotext)';
    console.warn(`document tests will fail: ${missingTools.join(' ')} missing; run: ${command}`);
  }
}
