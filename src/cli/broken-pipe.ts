/**
 * Ends the process quietly when stdout's reader goes away, as in `npm run ops -- customer … | head`, instead
 * of crashing with an EPIPE stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
