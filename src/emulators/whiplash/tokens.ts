import { randomBytes } from 'node:crypto';

import type { WhiplashEmulatorCredentials } from './options';

/** Result of checking a Bearer token. */
export type TokenCheck = 'valid' | 'expired' | 'unknown';

/** A token response as `POST /oauth/token` sends it (RFC 6749, section 5.1). */
export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** Present only when refresh tokens rotate. Without rotation the client keeps the refresh token it has. */
  refresh_token?: string;
  scope: string;
  /** Issue time in epoch seconds. */
  created_at: number;
}

/** Outcome of a refresh grant. */
export type RefreshResult = { kind: 'issued'; token: IssuedToken } | { kind: 'invalid-grant' };

// Whiplash's read-only scope for a user's data.
const SCOPE = 'user_read';

/**
 * The emulator's access and refresh tokens. An access token stays valid until it expires, even after a refresh
 * has issued a newer one. With rotation, a refresh token works once.
 *
 * Whiplash does not document whether a refresh revokes the previous access token or rotates the refresh token.
 * The emulator revokes nothing and rotates only when configured to.
 */
export class TokenStore {
  /** Access token to its expiry time in epoch ms. */
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();

  constructor(
    private readonly credentials: WhiplashEmulatorCredentials,
    private readonly now: () => number,
  ) {}

  /** Forgets every issued token and makes the configured ones valid again, the access token for `ttlSeconds`. */
  reset(ttlSeconds: number): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.accessTokens.set(this.credentials.accessToken, this.now() + ttlSeconds * 1000);
    this.refreshTokens.add(this.credentials.refreshToken);
  }

  check(accessToken: string): TokenCheck {
    const expiresAtMs = this.accessTokens.get(accessToken);
    if (expiresAtMs === undefined) {
      return 'unknown';
    }
    return this.now() < expiresAtMs ? 'valid' : 'expired';
  }

  /** Returns whether the OAuth client id and secret are the configured ones. */
  isClient(clientId: string, clientSecret: string): boolean {
    return clientId === this.credentials.clientId && clientSecret === this.credentials.clientSecret;
  }

  /** Issues a new access token for a known refresh token, and a new refresh token too when `rotate` is set. */
  refresh(refreshToken: string, ttlSeconds: number, rotate: boolean): RefreshResult {
    if (!this.refreshTokens.has(refreshToken)) {
      return { kind: 'invalid-grant' };
    }

    const nowMs = this.now();
    const accessToken = `whiplash-access-${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, nowMs + ttlSeconds * 1000);
    const token: IssuedToken = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope: SCOPE,
      created_at: Math.floor(nowMs / 1000),
    };
    if (rotate) {
      this.refreshTokens.delete(refreshToken);
      token.refresh_token = `whiplash-refresh-${randomBytes(12).toString('hex')}`;
      this.refreshTokens.add(token.refresh_token);
    }
    return { kind: 'issued', token };
  }

  /** Expires every access token now, as if their lifetime had passed. */
  expireAccessTokens(): void {
    const nowMs = this.now();
    for (const token of this.accessTokens.keys()) {
      this.accessTokens.set(token, nowMs);
    }
  }
}
