/**
 * `ApplicationFailure` types thrown by the Gorgias activities; workflows branch on them. This module has no
 * imports, so workflow code can use it.
 */
export const GorgiasFailureType = {
  /** 429: retried no sooner than Gorgias's `Retry-After`. */
  rateLimited: 'GorgiasRateLimited',
  /** 5xx, 408, timeouts and network errors: retried with backoff. */
  unavailable: 'GorgiasUnavailable',
  /** 301 on a data write: the customer was merged into another; the workflow re-resolves it by email. */
  customerMerged: 'GorgiasCustomerMerged',
  /** 404 on a known customer id: the customer was deleted; the workflow looks it up again by email. */
  customerNotFound: 'GorgiasCustomerNotFound',
  /** Any other 4xx: retrying cannot help; the workflow marks the sync as failed. */
  requestRejected: 'GorgiasRequestRejected',
} as const;

/** Failure types that no retry can fix; the customer workflow handles them itself. */
export const NON_RETRYABLE_GORGIAS_FAILURES: string[] = [
  GorgiasFailureType.customerMerged,
  GorgiasFailureType.customerNotFound,
  GorgiasFailureType.requestRejected,
];
