import express, { Router, type Request, type Response } from 'express';

import type { WhiplashEmulatorState } from './emulator-state';
import { sendOAuthError } from './responses';

/**
 * Creates the router for `/oauth`: the token endpoint with the refresh grant. It accepts a form body, as RFC 6749
 * specifies, and a JSON body. The authorization code grant needs a browser sign-in and is not emulated.
 */
export function createOAuthRouter(state: WhiplashEmulatorState): Router {
  const router = Router();
  router.post('/token', express.urlencoded({ extended: false }), express.json(), (req, res) =>
    issueToken(state, req, res),
  );
  return router;
}

function issueToken(state: WhiplashEmulatorState, req: Request, res: Response): void {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const field = (name: string): string => (typeof body[name] === 'string' ? body[name] : '');

  if (field('grant_type') !== 'refresh_token') {
    const grant = field('grant_type') || '(missing)';
    sendOAuthError(res, 400, 'unsupported_grant_type', `grant_type ${grant} is not supported: use refresh_token`);
    return;
  }
  // The client authenticates with client_id and client_secret in the body (`client_secret_post`).
  if (!state.tokens.isClient(field('client_id'), field('client_secret'))) {
    sendOAuthError(
      res,
      401,
      'invalid_client',
      'Client authentication failed: unknown client_id or wrong client_secret',
    );
    return;
  }
  if (field('refresh_token') === '') {
    sendOAuthError(res, 400, 'invalid_request', 'The refresh_token parameter is missing');
    return;
  }

  const { tokenTtlSeconds, rotateRefreshTokens } = state.config;
  const result = state.tokens.refresh(field('refresh_token'), tokenTtlSeconds, rotateRefreshTokens);
  if (result.kind === 'invalid-grant') {
    sendOAuthError(res, 400, 'invalid_grant', 'The refresh token is invalid, expired, revoked or already used');
    return;
  }
  state.requestLog.recordTokenRefresh();
  res.setHeader('Cache-Control', 'no-store');
  res.json(result.token);
}
