import pino from 'pino';

/**
 * The application's one logger: pino JSON on stdout.
 *
 * Log fixed message phrases with ids as fields. Never pass a secret, an email, a name, an address or a whole
 * payload: the redact list below is a safety net, not permission.
 */
export const logger = pino({
  // Entry points set `logger.level` from the configuration once they have parsed it.
  level: 'info',
  base: { service: 'whiplash-gorgias-sync' },
  redact: {
    paths: ['*.authorization', '*.Authorization', '*.apiKey', '*.accessToken', '*.email', '*.password'],
    censor: '[redacted]',
  },
});

export type Logger = pino.Logger;
