import { parseWhiplashTimestamp } from '../../whiplash/order-schema';
import {
  collectValues,
  getOrderSchema,
  normalizeStoredValue,
  resolveAttribute,
  type AttributeKind,
  type ResolvedAttribute,
} from './order-attributes';

/** A predicate suffix of a Ransack condition, without its leading underscore. */
export type Predicate =
  'eq' | 'not_eq' | 'lt' | 'lteq' | 'gt' | 'gteq' | 'in' | 'not_in' | 'cont' | 'not_cont' | 'start';

type Comparable = number | boolean | string;

/** One parsed condition of the `search` parameter, such as `updated_at_gteq`. */
export interface SearchCondition {
  /** The condition's key as sent, for messages. */
  key: string;
  attribute: ResolvedAttribute;
  predicate: Predicate;
  /** The value converted for the attribute's kind, a list for `in` and `not_in`, lower case for text matches. */
  value: Comparable | Comparable[];
}

/** A parsed search, or the reason it cannot be processed. */
export type SearchParseResult = { ok: true; conditions: SearchCondition[] } | { ok: false; message: string };

const SUPPORTED: readonly Predicate[] = [
  'not_cont', 'not_eq', 'not_in', 'start', 'lteq', 'gteq', 'cont', 'eq', 'lt', 'gt', 'in',
]; // prettier-ignore
// Ransack predicates the emulator does not model. Naming them gives a clearer message than "unknown predicate".
const UNSUPPORTED = [
  'does_not_match', 'not_cont_any', 'not_cont_all', 'not_eq_any', 'not_eq_all', 'not_start', 'not_end', 'not_null',
  'cont_any', 'cont_all', 'eq_any', 'eq_all', 'in_any', 'in_all', 'lt_any', 'gt_any', 'matches', 'present', 'blank',
  'false', 'true', 'null', 'end',
]; // prettier-ignore
// Sorted by descending length, so that `_not_eq` is not read as `_eq` and `_not_cont_any` not as `_cont_any`.
const SUFFIXES = [...SUPPORTED, ...UNSUPPORTED].sort((a, b) => b.length - a.length);
const SUPPORTED_LIST = SUPPORTED.map((predicate) => `_${predicate}`).join(', ');
const TEXT_MATCHES = new Set<Predicate>(['cont', 'not_cont', 'start']);

/**
 * Parses the `search` object into conditions on order attributes, strictly: an unknown attribute, an unknown or
 * unmodelled predicate, or a value that does not fit the attribute fails with a message naming the condition.
 *
 * Ransack as configured by default ignores conditions it cannot resolve, and conditions with a blank value.
 * Whiplash does not document which it does. The emulator rejects both, so that a client bug fails in tests.
 */
export function parseSearch(search: Record<string, unknown>): SearchParseResult {
  const conditions: SearchCondition[] = [];
  for (const [key, rawValue] of Object.entries(search)) {
    const condition = parseCondition(key, rawValue);
    if (typeof condition === 'string') {
      return { ok: false, message: condition };
    }
    conditions.push(condition);
  }
  return { ok: true, conditions };
}

/**
 * Returns whether an order meets every condition. A condition on a list association holds when any element
 * meets it.
 *
 * NOTE: Each condition is checked on its own, so `order_items_sku_eq` and `order_items_quantity_gt` can hold on
 * two different lines. A SQL join, as Ransack builds it, applies both to the same line.
 */
export function matchesSearch(order: Record<string, unknown>, conditions: readonly SearchCondition[]): boolean {
  return conditions.every((condition) =>
    collectValues(order, condition.attribute).some((value) => meetsCondition(value, condition)),
  );
}

function parseCondition(key: string, rawValue: unknown): SearchCondition | string {
  const suffix = SUFFIXES.find((candidate) => key.endsWith(`_${candidate}`) && key.length > candidate.length + 1);
  if (suffix === undefined) {
    return (
      `Unknown search condition "${key}": a condition is an attribute followed by a predicate, ` +
      `one of ${SUPPORTED_LIST}`
    );
  }
  if (!(SUPPORTED as readonly string[]).includes(suffix)) {
    return (
      `Search condition "${key}" uses the predicate _${suffix}, which the Whiplash emulator does not support. ` +
      `Supported: ${SUPPORTED_LIST}`
    );
  }

  const predicate = suffix as Predicate;
  const name = key.slice(0, -(suffix.length + 1));
  const attribute = resolveAttribute(getOrderSchema(), name);
  if (attribute === null) {
    return `Unknown attribute "${name}" in search condition "${key}"`;
  }
  if (TEXT_MATCHES.has(predicate) && attribute.kind !== 'text') {
    return (
      `Search condition "${key}": _${predicate} applies to text attributes only, ` +
      `and ${name} is a ${attribute.kind}`
    );
  }

  const value = parseConditionValue(key, predicate, attribute.kind, rawValue);
  return 'error' in value ? value.error : { key, attribute, predicate, value: value.value };
}

function parseConditionValue(
  key: string,
  predicate: Predicate,
  kind: AttributeKind,
  rawValue: unknown,
): { value: Comparable | Comparable[] } | { error: string } {
  if (isBlank(rawValue)) {
    return {
      error:
        `Search condition "${key}" has a blank value. ` +
        'Ransack skips such a condition, so it would match every order',
    };
  }

  if (predicate === 'in' || predicate === 'not_in') {
    if (!Array.isArray(rawValue)) {
      return { error: `Search condition "${key}" needs a JSON array, got ${describe(rawValue)}` };
    }
    const values: Comparable[] = [];
    for (const element of rawValue) {
      const value = convertValue(element, kind);
      if (value === null) {
        return { error: `Search condition "${key}": ${describe(element)} is not ${describeKind(kind)}` };
      }
      values.push(value);
    }
    return { value: values };
  }

  if (TEXT_MATCHES.has(predicate)) {
    const text = convertValue(rawValue, 'text');
    return text === null
      ? { error: `Search condition "${key}": ${describe(rawValue)} is not ${describeKind('text')}` }
      : { value: String(text).toLowerCase() };
  }

  const value = convertValue(rawValue, kind);
  return value === null
    ? { error: `Search condition "${key}": ${describe(rawValue)} is not ${describeKind(kind)}` }
    : { value };
}

/** Converts a value from the search JSON to the attribute's kind, or returns null when it does not fit. */
function convertValue(value: unknown, kind: AttributeKind): Comparable | null {
  switch (kind) {
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : null;
    case 'boolean':
      if (value === true || value === 'true' || value === 't' || value === '1' || value === 1) return true;
      return value === false || value === 'false' || value === 'f' || value === '0' || value === 0 ? false : null;
    case 'timestamp':
      return typeof value === 'string' ? parseWhiplashTimestamp(value) : null;
    case 'text':
      if (typeof value === 'string') return value;
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  }
}

function meetsCondition(storedValue: unknown, condition: SearchCondition): boolean {
  const stored = normalizeStoredValue(storedValue, condition.attribute.kind);
  if (stored === null) {
    return false;
  }

  const { predicate, value } = condition;
  if (TEXT_MATCHES.has(predicate)) {
    const text = String(stored).toLowerCase();
    const part = String(value);
    if (predicate === 'start') return text.startsWith(part);
    return predicate === 'cont' ? text.includes(part) : !text.includes(part);
  }
  if (Array.isArray(value)) {
    const found = value.some((candidate) => compareValues(stored, candidate) === 0);
    return predicate === 'in' ? found : !found;
  }

  const order = compareValues(stored, value);
  switch (predicate) {
    case 'eq':
      return order === 0;
    case 'not_eq':
      return order !== 0;
    case 'lt':
      return order < 0;
    case 'lteq':
      return order <= 0;
    case 'gt':
      return order > 0;
    case 'gteq':
      return order >= 0;
    default:
      throw new Error(`Internal error: predicate _${predicate} reached the comparison step`);
  }
}

/** Compares two values of the same kind: numerically for numbers, timestamps and booleans, by code unit for text. */
export function compareValues(a: Comparable, b: Comparable): number {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) {
      return 0;
    }
    return a < b ? -1 : 1;
  }
  return Number(a) - Number(b);
}

function isBlank(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function describeKind(kind: AttributeKind): string {
  switch (kind) {
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'timestamp':
      return 'an ISO 8601 time such as 2026-03-01T00:00:00Z';
    case 'text':
      return 'a text value';
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
