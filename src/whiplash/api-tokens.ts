import { z } from 'zod';

import { rejectOnAbort } from '../http/request-pacer';
import { WhiplashResponseError } from './api-errors';
import { buildApiError, parseJsonBody, sendWithRetries, type HttpExchange, type TransportContext } from './api-http';
import type { WhiplashAuth } from './api-options';

const TOKEN_PATH = '/oauth/token';

const REFRESH_REJECTED_HINT =
  'Whiplash rejected the refresh token or the OAuth client credentials. Sign in to Whiplash again to get a new ' +
  'token pair, set WHIPLASH_ACCESS_TOKEN and WHIPLASH_REFRESH_TOKEN, and check WHIPLASH_CLIENT_ID and ' +
  'WHIPLASH_CLIENT_SECRET';

/** The token endpoint's response (RFC 6749, section 5.1). Only `access_token` is required. */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().nullish(),
  refresh_token: z.string().min(1).nullish(),
  created_at: z.number().nullish(),
});

/**
 * The client's current tokens. A refresh replaces the access token, and the refresh token too when Whiplash
 * returns a new one. Concurrent calls that get a 401 share one refresh.
 */
export class TokenKeeper {
  private auth: WhiplashAuth;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly context: TransportContext) {
    this.auth = { ...context.options.auth };
  }

  /** True when a refresh token and the OAuth client credentials are configured. */
  get canRefresh(): boolean {
    return this.context.options.canRefresh;
  }

  /** Returns the access token to send. When none is configured yet, it refreshes first. */
  async currentAccessToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.auth.accessToken === '') {
      await this.refreshAfterRejection('', signal);
    }
    return this.auth.accessToken;
  }

  /**
   * Refreshes the tokens after Whiplash rejected `rejectedToken`, unless another call has replaced that token
   * already. A refresh in flight is joined rather than repeated. An abort through `signal` stops the wait, not
   * the shared refresh.
   */
  async refreshAfterRejection(rejectedToken: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.auth.accessToken !== rejectedToken && this.refreshing === null) {
      return;
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    await (signal ? rejectOnAbort(this.refreshing, signal) : this.refreshing);
  }

  private async refresh(): Promise<void> {
    const { refreshToken, clientId, clientSecret } = this.auth;
    if (refreshToken === undefined || clientId === undefined || clientSecret === undefined) {
      throw new Error('Internal error: a Whiplash token refresh started without a refresh token');
    }

    // The client credentials go in the form body (`client_secret_post`), which RFC 6749 allows at the token endpoint.
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    });
    const exchange: HttpExchange = {
      method: 'POST',
      path: TOKEN_PATH,
      route: TOKEN_PATH,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    };
    const response = await sendWithRetries(this.context, exchange);
    if (response.status < 200 || response.status > 299) {
      const hint = response.status === 400 || response.status === 401 ? REFRESH_REJECTED_HINT : undefined;
      throw buildApiError(this.context, exchange, response, hint);
    }

    const parsed = tokenResponseSchema.safeParse(parseJsonBody(response.text, 'POST', TOKEN_PATH, response.status));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'body').join(', ');
      throw new WhiplashResponseError('POST', TOKEN_PATH, response.status, `invalid token response fields: ${fields}`);
    }
    const tokenType = parsed.data.token_type;
    if (tokenType !== undefined && tokenType !== null && tokenType.toLowerCase() !== 'bearer') {
      throw new WhiplashResponseError('POST', TOKEN_PATH, response.status, `token_type is ${tokenType}, not Bearer`);
    }

    const rotated = typeof parsed.data.refresh_token === 'string' && parsed.data.refresh_token !== refreshToken;
    this.auth = {
      ...this.auth,
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token ?? refreshToken,
    };
    this.context.options.logger.info(
      { refreshTokenRotated: rotated, expiresInSeconds: parsed.data.expires_in ?? null },
      'Whiplash access token refreshed',
    );
    this.notifyRefreshed();
  }

  private notifyRefreshed(): void {
    const { onTokenRefreshed, logger } = this.context.options;
    try {
      onTokenRefreshed?.({ ...this.auth });
    } catch (err) {
      logger.error({ err }, 'onTokenRefreshed callback failed; the new Whiplash tokens were not persisted');
    }
  }
}
