// Loaded by path (`failureConverterPath`) in the worker, the client and the workflow bundle, because the
// workflow sandbox can only take a failure converter as a module.
import { DefaultFailureConverter } from '@temporalio/common';

/** Moves failure messages and stack traces into a payload, so the payload codec encrypts them too. */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
