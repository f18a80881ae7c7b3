import { describe, expect, it } from 'vitest';
import { browserPathOrThrow, ensureBrowser, findBrowser, installPlan, type BrowserHost } from '../../../scripts/browser.mjs';

function host(over: Partial<BrowserHost> & { files?: string[]; packages?: string[] } = {}) {
  const files = new Set(over.files ?? []);
  const packages = new Set(over.packages ?? []);
  const installed: string[][] = [];
  const log: string[] = [];
  const h: BrowserHost & { log: (line: string) => void } = {
    env: over.env ?? {},
    exists: (p) => files.has(p),
    isDebian: over.isDebian ?? true,
    isRoot: over.isRoot ?? true,
    hasApt: over.hasApt ?? true,
    hasPackage: (p) => packages.has(p),
    install:
      over.install ??
      ((list) => {
        installed.push(list);
        for (const p of list) packages.add(p);
        if (list.includes('chromium')) files.add('/usr/bin/chromium');
      }),
    log: (line) => log.push(line),
  };
  return { h, installed, log };
}

describe('findBrowser', () => {
  it('prefers CHROMIUM_PATH, then Debian’s chromium, then an installed Chrome', () => {
    const files = ['/usr/bin/chromium', '/opt/google/chrome/chrome', '/x/chrome'];
    expect(findBrowser({ env: { CHROMIUM_PATH: '/x/chrome' }, exists: (p) => files.includes(p) })).toEqual({ success: true, data: { path: '/x/chrome', source: 'CHROMIUM_PATH' } });
    expect(findBrowser({ env: {}, exists: (p) => files.includes(p) })).toMatchObject({ success: true, data: { path: '/usr/bin/chromium' } });
    expect(findBrowser({ env: {}, exists: (p) => p === '/opt/google/chrome/chrome' })).toMatchObject({ success: true, data: { path: '/opt/google/chrome/chrome' } });
  });

  it('says when the configured path does not exist', () => {
    expect(findBrowser({ env: { CHROMIUM_PATH: '/nope' }, exists: () => false })).toEqual({ success: false, error: 'CHROMIUM_PATH=/nope does not exist' });
  });
});

describe('installPlan', () => {
  it('installs itself only as root on Debian with apt, and otherwise gives the exact command', () => {
    const packages = ['chromium', 'fonts-noto-cjk'];
    expect(installPlan({ isDebian: true, isRoot: true, hasApt: true, packages })).toEqual({ canInstall: true, command: 'apt-get update && apt-get install -y chromium fonts-noto-cjk' });
    expect(installPlan({ isDebian: true, isRoot: false, hasApt: true, packages })).toEqual({
      canInstall: false,
      command: 'sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk',
    });
    expect(installPlan({ isDebian: false, isRoot: true, hasApt: false, packages }).command).toMatch(/^install Chromium or Google Chrome, then run the tests with CHROMIUM_PATH=/);
  });
});

describe('ensureBrowser', () => {
  it('installs chromium and both fonts on a fresh Debian machine as root, saying so', () => {
    const { h, installed, log } = host();
    expect(ensureBrowser(h)).toEqual({ success: true, data: { path: '/usr/bin/chromium', installed: ['chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji'] } });
    expect(installed).toEqual([['chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji']]);
    expect(log[0]).toBe('browser tests: installing chromium fonts-noto-cjk fonts-noto-color-emoji with apt-get (apt-get update && apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji)');
  });

  it('installs only the missing emoji font next to an existing chromium', () => {
    const { h, installed } = host({ files: ['/usr/bin/chromium'], packages: ['fonts-noto-cjk'] });
    expect(ensureBrowser(h)).toMatchObject({ success: true, data: { installed: ['fonts-noto-color-emoji'] } });
    expect(installed).toEqual([['fonts-noto-color-emoji']]);
  });

  it('does nothing when everything is there', () => {
    const { h, installed, log } = host({ files: ['/usr/bin/chromium'], packages: ['fonts-noto-cjk', 'fonts-noto-color-emoji'] });
    expect(ensureBrowser(h)).toEqual({ success: true, data: { path: '/usr/bin/chromium', installed: [] } });
    expect(installed).toEqual([]);
    expect(log).toEqual([]);
  });

  it('fails with the sudo command when not root, installing nothing', () => {
    const { h, installed } = host({ isRoot: false });
    expect(ensureBrowser(h)).toEqual({
      success: false,
      error: expect.stringContaining('To run the browser tests: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji'),
    });
    expect(installed).toEqual([]);
  });

  it('reports a failed apt-get with the command to run', () => {
    const { h } = host({
      install: () => {
        throw new Error('E: Unable to locate package chromium');
      },
    });
    expect(ensureBrowser(h)).toEqual({
      success: false,
      error: 'installing chromium fonts-noto-cjk fonts-noto-color-emoji failed (E: Unable to locate package chromium); run: apt-get update && apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji',
    });
  });

  it('installs nothing over an explicitly configured browser that is missing', () => {
    const { h, installed } = host({ env: { CHROMIUM_PATH: '/opt/mine/chrome' } });
    expect(ensureBrowser(h)).toEqual({ success: false, error: 'CHROMIUM_PATH=/opt/mine/chrome does not exist' });
    expect(installed).toEqual([]);
  });

  it('uses a found Chrome off Debian without trying to install fonts', () => {
    const { h, installed } = host({ isDebian: false, hasApt: false, files: ['/opt/google/chrome/chrome'] });
    expect(ensureBrowser(h)).toEqual({ success: true, data: { path: '/opt/google/chrome/chrome', installed: [] } });
    expect(installed).toEqual([]);
  });
});

describe('browserPathOrThrow', () => {
  it('throws with the exact command when no browser is found', () => {
    const { h } = host({ isRoot: false });
    expect(() => browserPathOrThrow(h)).toThrow(
      'no Chromium or Chrome found (looked at /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome-stable, /usr/bin/google-chrome, /opt/google/chrome/chrome). To run the browser tests: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji',
    );
  });
});
