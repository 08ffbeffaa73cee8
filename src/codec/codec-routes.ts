import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger';

/** Path prefix of the codec server endpoints. */
export const CODEC_PATH = '/codec';

/** Headers the Temporal UI sends to a codec server. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

export interface CodecRouteOptions {
  codec: PayloadCodec;
  /** Bearer token that every request must carry; when undefined, every request gets 401 (but see below). */
  token: string | undefined;
  /**
   * With no token configured, accepts requests from this machine's loopback addresses, because the dev
   * server's UI has no login and sends no token. Only `npm start` sets it. Never set it where a proxy on the
   * same host forwards outside traffic, which would then arrive from loopback too.
   */
  allowLoopbackWithoutToken?: boolean;
  /** Browser origins allowed to call the endpoints, such as the Temporal UI's. */
  corsOrigins: readonly string[];
  /**
   * Largest request body, in bytes.
   * @default 4 MB
   */
  maxBodyBytes?: number;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

// The JSON form of Temporal's Payload proto, as the Temporal UI and CLI send it to a codec server.
const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).optional(),
      data: base64.optional(),
    }),
  ),
});

type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

/**
 * Creates the codec server that lets the Temporal UI and CLI show encrypted payloads as plain text:
 * `POST /codec/encode` and `POST /codec/decode`, both taking and returning `{"payloads": [...]}`. It requires
 * `Authorization: Bearer <token>` and sends CORS headers, preflights included, only to `corsOrigins`.
 * It parses JSON only under its own paths, so other routes still read their raw bodies.
 */
export function codecRoutes(options: CodecRouteOptions): express.Router {
  const router = express.Router();
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const parseJson = express.json({ limit: maxBodyBytes, type: () => true });

  router.use(CODEC_PATH, cors(options.corsOrigins));
  const authorize = requireToken(options.token, options.allowLoopbackWithoutToken === true);
  router.post(`${CODEC_PATH}/encode`, authorize, parseJson, codecHandler('encode', options.codec));
  router.post(`${CODEC_PATH}/decode`, authorize, parseJson, codecHandler('decode', options.codec));
  router.use(CODEC_PATH, bodyErrorHandler(maxBodyBytes));
  return router;
}

function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (origin !== undefined && allowed.has(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    // A preflight from another origin gets no CORS headers, so the browser blocks the request that follows.
    if (origin !== undefined && allowed.has(origin)) {
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function requireToken(token: string | undefined, allowLoopbackWithoutToken: boolean) {
  const expected = token === undefined ? null : sha256(token);
  return (req: Request & { log?: Logger }, res: Response, next: NextFunction) => {
    if (expected === null && allowLoopbackWithoutToken && LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) {
      next();
      return;
    }
    if (expected === null) {
      req.log?.warn('Rejected codec request: CODEC_SERVER_TOKEN is not set');
      res
        .status(401)
        .json({ error: 'No codec server token is configured (CODEC_SERVER_TOKEN), so no request is allowed' });
      return;
    }
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    // Comparing fixed-length hashes keeps the comparison constant-time whatever the token length.
    if (match === null || !timingSafeEqual(sha256(match[1]!), expected)) {
      req.log?.warn({ hasAuthorization: req.get('authorization') !== undefined }, 'Rejected codec request: bad token');
      res.set('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: 'The Authorization header must be "Bearer <CODEC_SERVER_TOKEN>"' });
      return;
    }
    next();
  };
}

function codecHandler(direction: 'encode' | 'decode', codec: PayloadCodec) {
  return async (req: Request & { log?: Logger }, res: Response): Promise<void> => {
    const parsed = payloadsBody.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      req.log?.warn({ fields: issues.map((issue) => issue.path).slice(0, 10) }, 'Rejected codec request: invalid body');
      res
        .status(400)
        .json({ error: 'The body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}]}', issues });
      return;
    }
    let payloads: Payload[];
    try {
      const input = parsed.data.payloads.map(fromJson);
      payloads = direction === 'encode' ? await codec.encode(input) : await codec.decode(input);
    } catch (error) {
      // Codec errors name key ids, never key material or payload contents.
      req.log?.warn({ err: error, direction }, 'Codec server could not process payloads');
      res.status(400).json({ error: `Could not ${direction} the payloads: ${(error as Error).message}` });
      return;
    }
    res.json({ payloads: payloads.map(toJson) });
  };
}

function bodyErrorHandler(maxBodyBytes: number) {
  return (error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `The body is larger than the ${maxBodyBytes}-byte limit of the codec server` });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'The body is not valid JSON' });
      return;
    }
    next(error);
  };
}

function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
