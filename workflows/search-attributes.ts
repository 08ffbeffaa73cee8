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

// Temporal rejects a Keyword value over 2048 bytes. 200 code points stay below that even when every one of
// them is escaped as \u0000 (6 bytes) in the JSON encoding.
const MAX_KEYWORD_LENGTH = 200;

/** Cuts a value taken from an order to a length Temporal always accepts as a Keyword search attribute. */
export function keyword(value: string): string {
  if (value.length <= MAX_KEYWORD_LENGTH) return value;
  return Array.from(value.slice(0, MAX_KEYWORD_LENGTH * 2))
    .slice(0, MAX_KEYWORD_LENGTH)
    .join('');
}
