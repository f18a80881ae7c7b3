import type { ResolvedConfig } from '../config.js';
import { DingTalkApiError, DingTalkAuthError } from '../errors.js';
import { classifyOpenApi, type HttpClient } from './http.js';

/** The app's OpenAPI access token, cached and refreshed before it expires. */
export interface TokenProvider {
  /** A valid token: the cached one, or a fresh one (concurrent callers share one refresh). */
  get(): Promise<string>;
  /** Drops `token` from the cache (after DingTalk answered 401 to it); a newer token is kept. */
  invalidate(token: string): void;
}

/**
 * Creates the token cache over `POST {apiBase}/v1.0/oauth2/accessToken {appKey, appSecret}` →
 * `{accessToken, expireIn}` (seconds). The token is refreshed `tokenMarginMs` before it expires (at most
 * half its lifetime early). Bad credentials reject with {@link DingTalkAuthError} and are not retried;
 * throttling and server errors are retried by the HTTP client.
 */
export function createTokenProvider(config: Pick<ResolvedConfig, 'apiBase' | 'clientId' | 'clientSecret' | 'clock' | 'tokenMarginMs'>, http: HttpClient): TokenProvider {
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function refresh(): Promise<string> {
    const requestedAt = config.clock().getTime();
    let body: unknown;
    try {
      body = await http.post({
        what: 'oauth2 access token',
        url: `${config.apiBase}/v1.0/oauth2/accessToken`,
        body: { appKey: config.clientId, appSecret: config.clientSecret },
        classify: classifyOpenApi,
      });
    } catch (error) {
      if (error instanceof DingTalkApiError && (error.kind === 'rejected' || error.kind === 'unauthorized')) {
        throw new DingTalkAuthError(config.clientId, error.status, error.code, error.message);
      }
      throw error;
    }
    const record = (body ?? {}) as { accessToken?: unknown; expireIn?: unknown };
    if (typeof record.accessToken !== 'string' || record.accessToken === '') {
      throw new DingTalkAuthError(config.clientId, 200, undefined, 'the oauth2 answer carried no accessToken');
    }
    const lifetimeMs = (typeof record.expireIn === 'number' && record.expireIn > 0 ? record.expireIn : 7200) * 1000;
    const early = Math.min(config.tokenMarginMs, lifetimeMs / 2);
    cached = { token: record.accessToken, refreshAt: requestedAt + lifetimeMs - early };
    return record.accessToken;
  }

  return {
    get() {
      if (cached && config.clock().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
      if (!inflight) {
        inflight = refresh().finally(() => {
          inflight = undefined;
        });
      }
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/**
 * Runs an OpenAPI call with the cached token. When DingTalk answers 401 (a token revoked or expired early),
 * the token is dropped and the call tried once more with a fresh one; a second 401 means the credentials
 * are wrong and rejects with {@link DingTalkAuthError}.
 */
export async function withFreshToken<T>(tokens: TokenProvider, clientId: string, call: (token: string) => Promise<T>): Promise<T> {
  const token = await tokens.get();
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof DingTalkApiError) || error.kind !== 'unauthorized') throw error;
    tokens.invalidate(token);
    const fresh = await tokens.get();
    try {
      return await call(fresh);
    } catch (again) {
      if (again instanceof DingTalkApiError && again.kind === 'unauthorized') throw new DingTalkAuthError(clientId, again.status, again.code, again.message);
      throw again;
    }
  }
}
