// Finds the browser the browser tests drive, and installs Debian's chromium when it can.
// Plain JavaScript so that the root `pretest` runs it before anything is built; tests import it too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Debian packages the browser tests need: the browser, and fonts for Chinese text and emoji. */
export const BROWSER_PACKAGES = ['chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji'];

/** Where Debian's chromium and an installed Chrome live, in the order they are tried. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The environment variable that names a browser explicitly. */
export const BROWSER_ENV = 'CHROMIUM_PATH';

/**
 * The browser to drive: `CHROMIUM_PATH` when set, else the first of {@link BROWSER_CANDIDATES} that exists.
 * @param {{ env: Record<string, string | undefined>, exists: (path: string) => boolean }} probes
 * @returns {{ success: true, data: { path: string, source: string } } | { success: false, error: string }}
 */
export function findBrowser({ env, exists }) {
  const configured = env[BROWSER_ENV];
  if (configured) {
    if (exists(configured)) return { success: true, data: { path: configured, source: BROWSER_ENV } };
    return { success: false, error: `${BROWSER_ENV}=${configured} does not exist` };
  }
  for (const path of BROWSER_CANDIDATES) if (exists(path)) return { success: true, data: { path, source: 'installed' } };
  return { success: false, error: `no Chromium or Chrome found (looked at ${BROWSER_CANDIDATES.slice(0, 5).join(', ')})` };
}

/**
 * How the missing packages can be installed here: by this process (Debian with apt, as root) or by the
 * person, with the exact command.
 * @param {{ isDebian: boolean, isRoot: boolean, hasApt: boolean, packages: string[] }} host
 * @returns {{ canInstall: boolean, command: string }}
 */
export function installPlan({ isDebian, isRoot, hasApt, packages }) {
  if (isDebian && hasApt) {
    const install = `apt-get install -y ${packages.join(' ')}`;
    return isRoot ? { canInstall: true, command: `apt-get update && ${install}` } : { canInstall: false, command: `sudo apt-get update && sudo ${install}` };
  }
  return {
    canInstall: false,
    command: `install Chromium or Google Chrome, then run the tests with ${BROWSER_ENV}=/path/to/chrome (on Debian: apt-get install ${BROWSER_PACKAGES.join(' ')})`,
  };
}

/** What this machine is, probed for real. */
export function hostProbes() {
  const run = (file, args) => {
    try {
      execFileSync(file, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  let isDebian = false;
  try {
    isDebian = /^(ID|ID_LIKE)=.*\bdebian\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    isDebian = false;
  }
  return {
    env: process.env,
    exists: existsSync,
    isDebian,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasApt: existsSync('/usr/bin/apt-get'),
    hasPackage: (name) => run('dpkg', ['-s', name]),
    install: (packages) => {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    },
  };
}

/**
 * Makes sure a browser (and on Debian its fonts) is there: finds it, or installs what is missing when
 * this process may, saying so; otherwise reports the command to run. Never throws for a missing browser.
 * @param {ReturnType<typeof hostProbes> & { log: (line: string) => void }} host
 * @returns {{ success: true, data: { path: string, installed: string[] } } | { success: false, error: string }}
 */
export function ensureBrowser(host) {
  const found = findBrowser(host);
  // An explicitly configured browser is the person's choice: nothing is installed over it.
  if (!found.success && host.env[BROWSER_ENV]) return { success: false, error: found.error };
  const missing = host.isDebian && host.hasApt ? BROWSER_PACKAGES.filter((p) => (p === 'chromium' ? !found.success : !host.hasPackage(p))) : found.success ? [] : ['chromium'];
  if (missing.length === 0 && found.success) return { success: true, data: { path: found.data.path, installed: [] } };
  const plan = installPlan({ ...host, packages: missing });
  if (!plan.canInstall) {
    if (found.success) {
      host.log(`browser tests: using ${found.data.path}; ${missing.join(' and ')} missing, Chinese or emoji text may render as boxes (${plan.command})`);
      return { success: true, data: { path: found.data.path, installed: [] } };
    }
    return { success: false, error: `${found.error}. To run the browser tests: ${plan.command}` };
  }
  host.log(`browser tests: installing ${missing.join(' ')} with apt-get (${plan.command})`);
  try {
    host.install(missing);
  } catch (error) {
    return { success: false, error: `installing ${missing.join(' ')} failed (${error instanceof Error ? error.message : String(error)}); run: ${plan.command}` };
  }
  const after = findBrowser(host);
  if (!after.success) return { success: false, error: `${after.error} after installing ${missing.join(' ')}; run: ${plan.command}` };
  return { success: true, data: { path: after.data.path, installed: missing } };
}

/**
 * The browser for a test to launch, without installing anything: its path, or an error with the exact
 * command that makes one available.
 */
export function browserPathOrThrow(host = hostProbes()) {
  const found = findBrowser(host);
  if (found.success) return found.data.path;
  throw new Error(`${found.error}. To run the browser tests: ${installPlan({ ...host, packages: BROWSER_PACKAGES }).command}`);
}
