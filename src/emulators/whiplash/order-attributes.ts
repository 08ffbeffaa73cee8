import { parseWhiplashTimestamp } from '../../whiplash/order-schema';
import { generateWhiplashOrders } from './generator';

/** Comparison type of an attribute, like the column type behind a Ransack attribute. */
export type AttributeKind = 'number' | 'boolean' | 'timestamp' | 'text';

/** The searchable attributes of an order, or of an object nested in it. */
export interface ModelSchema {
  attributes: Map<string, AttributeKind>;
  /** Nested objects (`originator`) and lists of objects (`order_items`), searchable through `<name>_<attribute>`. */
  associations: Map<string, ModelSchema>;
}

/** An attribute found through a Ransack name such as `order_items_originator_shop_id`. */
export interface ResolvedAttribute {
  /** Associations to walk from the order, e.g. `['order_items', 'originator']`. */
  associations: string[];
  attribute: string;
  kind: AttributeKind;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DECIMAL = /^-?\d+\.\d+$/;
// Generated orders leave some fields null in every order. Their kind follows from the name instead.
const TIMESTAMP_NAME = /_(at|on|date)$/;
const NUMBER_NAME = /(^|_)(id|count|quantity|limit|estimate|cost|price|value|weight|fee)$/;

let orderSchema: ModelSchema | null = null;

/**
 * Returns the attributes the emulator can search and sort orders by: every field of a generated order whose
 * value is a scalar, and the same for each nested object. Lists of scalars such as `tracking` are not
 * searchable.
 */
export function getOrderSchema(): ModelSchema {
  // Enough orders that every status, and so every field that only some statuses fill, appears at least once.
  orderSchema ??= describeModel(generateWhiplashOrders({ count: 60, consumers: 5, stores: 2, seed: 1 }));
  return orderSchema;
}

/**
 * Resolves a Ransack attribute name the way Ransack does: a field of the order first, then a field of an
 * association whose name is a prefix of it (`originator_shop_id` → `originator.shop_id`). Returns null when
 * nothing matches.
 */
export function resolveAttribute(schema: ModelSchema, name: string): ResolvedAttribute | null {
  const kind = schema.attributes.get(name);
  if (kind !== undefined) {
    return { associations: [], attribute: name, kind };
  }
  for (const [association, nested] of schema.associations) {
    if (!name.startsWith(`${association}_`)) {
      continue;
    }
    const inner = resolveAttribute(nested, name.slice(association.length + 1));
    if (inner !== null) {
      return { ...inner, associations: [association, ...inner.associations] };
    }
  }
  return null;
}

/**
 * Collects the values of an attribute in one order. Walking through a list association gives one value per
 * element, so `order_items_sku` gives the SKU of every line.
 */
export function collectValues(order: Record<string, unknown>, resolved: ResolvedAttribute): unknown[] {
  let nodes: Record<string, unknown>[] = [order];
  for (const association of resolved.associations) {
    nodes = nodes.flatMap((node) => {
      const value = node[association];
      return (Array.isArray(value) ? value : [value]).filter(isRecord);
    });
  }
  return nodes.map((node) => node[resolved.attribute]);
}

/**
 * Converts a stored value to what the emulator compares for this kind: epoch ms for a timestamp, a number for
 * a number (decimal strings and id strings included) and a string for text. Returns null for null, a missing
 * field or a value of another type, which no predicate matches, as NULL in SQL.
 */
export function normalizeStoredValue(value: unknown, kind: AttributeKind): number | boolean | string | null {
  switch (kind) {
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'timestamp':
      return typeof value === 'string' ? parseWhiplashTimestamp(value) : null;
    case 'text':
      if (typeof value === 'string') return value;
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
  }
}

function describeModel(samples: Record<string, unknown>[]): ModelSchema {
  const attributes = new Map<string, AttributeKind>();
  const nestedSamples = new Map<string, Record<string, unknown>[]>();
  const names = new Set(samples.flatMap((sample) => Object.keys(sample)));

  for (const name of names) {
    const values = samples.map((sample) => sample[name]).filter((value) => value !== null && value !== undefined);
    const objects = values.flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isRecord);
    if (objects.length > 0) {
      nestedSamples.set(name, objects);
    } else if (!values.some(Array.isArray)) {
      attributes.set(name, kindOf(name, values[0]));
    }
  }

  const associations = new Map<string, ModelSchema>();
  for (const [name, objects] of nestedSamples) {
    associations.set(name, describeModel(objects));
  }
  return { attributes, associations };
}

function kindOf(name: string, value: unknown): AttributeKind {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') {
    if (ISO_DATE_TIME.test(value)) return 'timestamp';
    return DECIMAL.test(value) ? 'number' : 'text';
  }
  if (TIMESTAMP_NAME.test(name)) return 'timestamp';
  return NUMBER_NAME.test(name) ? 'number' : 'text';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
