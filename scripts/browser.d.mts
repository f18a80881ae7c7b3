/** Result of a check that can fail for an expected reason. */
type Result<T> = { success: true; data: T } | { success: false; error: string };

export declare const BROWSER_PACKAGES: string[];
export declare const BROWSER_CANDIDATES: string[];
export declare const BROWSER_ENV: string;

/** What the finder may look at; tests inject their own. */
export interface BrowserProbes {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
}

/** What the installer may look at and do; tests inject their own. */
export interface BrowserHost extends BrowserProbes {
  isDebian: boolean;
  isRoot: boolean;
  hasApt: boolean;
  hasPackage: (name: string) => boolean;
  install: (packages: string[]) => void;
}

export declare function findBrowser(probes: BrowserProbes): Result<{ path: string; source: string }>;
export declare function installPlan(host: { isDebian: boolean; isRoot: boolean; hasApt: boolean; packages: string[] }): { canInstall: boolean; command: string };
export declare function hostProbes(): BrowserHost;
export declare function ensureBrowser(host: BrowserHost & { log: (line: string) => void }): Result<{ path: string; installed: string[] }>;
export declare function browserPathOrThrow(host?: BrowserHost): string;
