import pino from 'pino';

/**
 * Creates a logger with the service's settings: pino JSON, on stdout unless a destination is given (tests
 * capture the lines this way).
 *
 * Log fixed message phrases with ids as fields. Never pass a secret, an email, a name, an address or a whole
 * payload: the redact list below is a safety net, not permission.
 */
export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    // Entry points set `logger.level` from the configuration once they have parsed it.
    level: 'info',
    base: { service: 'whiplash-gorgias-sync' },
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.apiKey', '*.accessToken', '*.email', '*.password'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The application's one logger. */
export const logger = createLogger();

export type Logger = pino.Logger;
