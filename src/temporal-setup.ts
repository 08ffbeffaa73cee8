import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

/** Outcome for each custom search attribute: newly registered, or already there with the right type. */
export type SearchAttributeSetup = Record<string, 'registered' | 'present'>;

/**
 * Registers the workflows' custom search attributes (all Keyword) on a namespace through the operator service,
 * skipping those already there. Running it again changes nothing. Throws naming the attribute when one exists
 * with another type, because Temporal cannot change a type in place.
 */
export async function registerSearchAttributes(client: Client, namespace: string): Promise<SearchAttributeSetup> {
  const { operatorService } = client.connection;
  const existing = (await operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  const result: SearchAttributeSetup = {};
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};

  for (const key of ALL_SEARCH_ATTRIBUTES) {
    const type = existing[key.name];
    if (type === undefined) {
      missing[key.name] = IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
      result[key.name] = 'registered';
    } else if (type === IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
      result[key.name] = 'present';
    } else {
      throw new Error(
        `Search attribute ${key.name} exists on namespace ${namespace} with type ${IndexedValueType[type]}, ` +
          'but the workflows write a Keyword. Remove it (temporal operator search-attribute remove) and run this again.',
      );
    }
  }

  if (Object.keys(missing).length > 0) {
    await operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return result;
}
