import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes shown and searchable in the Temporal UI. Search attributes are stored unencrypted,
 * so none of them contains an email or a name: consumers are found by the SHA-256 of their normalized email.
 */
export const SearchAttributes = {
  whiplashOrderId: defineSearchAttributeKey('WhiplashOrderId', SearchAttributeType.KEYWORD),
  orderNumber: defineSearchAttributeKey('WhiplashOrderNumber', SearchAttributeType.KEYWORD),
  store: defineSearchAttributeKey('WhiplashStore', SearchAttributeType.KEYWORD),
  orderStatus: defineSearchAttributeKey('WhiplashStatus', SearchAttributeType.KEYWORD),
  syncState: defineSearchAttributeKey('SyncState', SearchAttributeType.KEYWORD),
  emailHash: defineSearchAttributeKey('CustomerEmailHash', SearchAttributeType.KEYWORD),
  gorgiasAccount: defineSearchAttributeKey('GorgiasAccount', SearchAttributeType.KEYWORD),
} as const;

/** Every custom search attribute key, for registering them on a Temporal namespace. */
export const ALL_SEARCH_ATTRIBUTES = Object.values(SearchAttributes);
