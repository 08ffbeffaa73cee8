import { z } from 'zod';

import { toCountryCode } from './country';
import { normalizeEmail } from './email';

// Whiplash V2 orders may carry null in any field, send ids and codes as digit strings, send zips as numbers,
// and send full country names. The preprocessors below turn each shape into one type. Only id, status,
// email, updated_at and the order_items list, where every line needs a readable quantity, can fail.

const DIGITS_PATTERN = /^\s*\d+\s*$/;
// Deliberately loose: one @, no whitespace, and a domain with at least one dot.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// ISO 8601 date-time without an offset, which Date.parse would read in the host's time zone.
const ZONELESS_DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
// No real Whiplash text field comes near this. Cutting longer ones keeps an event far below Temporal's
// payload limits, so an absurd value cannot make a delivery fail on every retry.
const MAX_TEXT_LENGTH = 500;
// RFC 5321 caps an address at 254 characters.
const MAX_EMAIL_LENGTH = 254;

/** Reads a Whiplash timestamp into epoch milliseconds, or returns null when Date.parse cannot read it. */
export function parseWhiplashTimestamp(value: string): number | null {
  const trimmed = value.trim();
  const milliseconds = Date.parse(ZONELESS_DATE_TIME_PATTERN.test(trimmed) ? `${trimmed}Z` : trimmed);
  return Number.isNaN(milliseconds) ? null : milliseconds;
}

/** Quotes a received value for an error message, shortened so a message never carries a whole payload. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Cuts a text to at most `max` characters (code points, so an emoji is never split). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text.slice(0, max * 2))
    .slice(0, max)
    .join('');
}

/** Returns whether a parsed JSON value is an object, as opposed to null, an array or a primitive. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : clipText(trimmed, MAX_TEXT_LENGTH);
}

function toDigitNumber(value: unknown): unknown {
  return typeof value === 'string' && DIGITS_PATTERN.test(value) ? Number(value) : value;
}

function toOptionalInteger(value: unknown): number | null {
  const number = toDigitNumber(value);
  return Number.isSafeInteger(number) && (number as number) >= 0 ? (number as number) : null;
}

// A zip that arrived as a JSON number stays a number here, so the address rules below can restore the
// leading zeros the number lost.
function toZip(value: unknown): string | number | null {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : toText(value);
}

function toTimestampText(value: unknown): string | null {
  return typeof value === 'string' && parseWhiplashTimestamp(value) !== null ? value : null;
}

function toTextList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.map(toText).filter((text): text is string => text !== null);
}

const optionalText = z.preprocess(toText, z.string().nullable());
const optionalInteger = z.preprocess(toOptionalInteger, z.number().nullable());
const optionalBoolean = z.preprocess((value) => (typeof value === 'boolean' ? value : null), z.boolean().nullable());
const textList = z.preprocess(toTextList, z.array(z.string()));

/** Builds a schema for an optional nested object that reads any non-object as null. Pass only tolerant fields. */
function optionalObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess((value) => (isJsonObject(value) ? value : null), z.looseObject(shape).nullable());
}

function integerField(minimum: number, messages: { missing: string; invalid: string }) {
  return z.preprocess(
    toDigitNumber,
    z.custom<number>((value) => Number.isSafeInteger(value) && (value as number) >= minimum, {
      error: (issue) =>
        issue.input == null ? messages.missing : `${messages.invalid} Received ${describeValue(issue.input)}.`,
    }),
  );
}

const emailField = z.preprocess(
  (value) => (typeof value === 'string' ? normalizeEmail(value) : value),
  z
    .string({
      error: (issue) =>
        issue.input == null
          ? 'email is missing, so the order cannot be matched to a Gorgias customer. Add the email in Whiplash.'
          : `email must be a string, not a value of type ${typeof issue.input}. Check that the body is a Whiplash order.`,
    })
    .min(1, {
      abort: true,
      error: 'email is blank, so the order cannot be matched to a Gorgias customer. Add the email in Whiplash.',
    })
    .max(MAX_EMAIL_LENGTH, {
      abort: true,
      error: `email is longer than the ${MAX_EMAIL_LENGTH} characters an address may have. Correct it in Whiplash.`,
    })
    .regex(EMAIL_PATTERN, {
      error: 'email is not an address of the form name@domain.tld. Correct it on the order in Whiplash.',
    }),
);

// Returns the original text, kept for display, with its instant in epoch milliseconds.
const updatedAtField = z
  .string({
    error: (issue) =>
      issue.input == null
        ? 'updated_at is missing, so events for this order cannot be put in order. Resend the full order.'
        : `updated_at must be an ISO 8601 string. Received ${describeValue(issue.input)}.`,
  })
  .transform((text, context) => {
    const milliseconds = parseWhiplashTimestamp(text);
    if (milliseconds === null) {
      context.addIssue({
        code: 'custom',
        input: text,
        message:
          `updated_at ${describeValue(text)} is not a readable timestamp. ` +
          'Send ISO 8601 with an offset, such as 2026-03-02T10:14:05.000-05:00.',
      });
      return z.NEVER;
    }
    return { text, milliseconds };
  });

const lineItemSchema = z.looseObject(
  {
    sku: optionalText,
    quantity: integerField(0, {
      missing: 'quantity is missing on this line item. Resend the order with a quantity on every line.',
      invalid: 'quantity must be a non-negative integer or a string of digits.',
    }),
  },
  { error: (issue) => `Each order_items entry must be an object. Received ${describeValue(issue.input)}.` },
);

const packageSchema = z.looseObject({ tracking: optionalText, tracking_link: optionalText });

const orderFieldsSchema = z.looseObject({
  id: integerField(1, {
    missing: 'id is missing. Every Whiplash order has one, so check that the body is a Whiplash order.',
    invalid: 'id must be a positive integer or a string of digits.',
  }),
  customer_id: optionalInteger,
  humanize_id: optionalText,
  order_orig: optionalText,
  status: integerField(0, {
    missing: 'status is missing. Whiplash orders always carry an integer status code, so resend the full order.',
    invalid: 'status must be an integer status code or a string of digits.',
  }),
  status_name: optionalText,
  email: emailField,
  created_at: z.preprocess(toTimestampText, z.string().nullable()),
  updated_at: updatedAtField,
  shipping_name: optionalText,
  full_name: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  shipping_phone: optionalText,
  shipping_address_1: optionalText,
  shipping_address_2: optionalText,
  shipping_city: optionalText,
  shipping_state: optionalText,
  shipping_zip: z.preprocess(toZip, z.union([z.string(), z.number()]).nullable()),
  shipping_country: optionalText,
  shipping_country_iso2: optionalText,
  require_signature: optionalBoolean,
  require_adult_signature: optionalBoolean,
  ship_method: optionalText,
  shipping_method: optionalObject({ name: optionalText, carrier: optionalText, service: optionalText }),
  originator: optionalObject({
    shop_id: optionalInteger,
    shop_domain: optionalText,
    provider: optionalText,
    original_id: optionalText,
  }),
  tracking: textList,
  tracking_links: textList,
  packages: z.preprocess((value) => (Array.isArray(value) ? value.filter(isJsonObject) : []), z.array(packageSchema)),
  order_items: z.preprocess(
    (value) => value ?? [],
    z.array(lineItemSchema, {
      error: (issue) => `order_items must be an array of line items or null. Received ${describeValue(issue.input)}.`,
    }),
  ),
});

type OrderFields = z.output<typeof orderFieldsSchema>;

// A US zip that arrived as a JSON number (V1 payloads send one) gets back the leading zeros the number
// dropped. Text zips are kept as sent.
function normalizeZip(zip: string | number | null, country: string | null): string | null {
  if (typeof zip !== 'number') {
    return zip;
  }
  const digits = String(zip);
  return country === 'US' && digits.length < 5 ? digits.padStart(5, '0') : digits;
}

// `shipping_country_iso2` wins over `shipping_country`, which V1 payloads fill with a full name.
function applyAddressRules({ shipping_zip, shipping_country, shipping_country_iso2, ...fields }: OrderFields) {
  const countrySent = shipping_country_iso2 ?? shipping_country;
  const country = countrySent === null ? null : toCountryCode(countrySent);
  return { ...fields, shipping_country: country, shipping_zip: normalizeZip(shipping_zip, country) };
}

/**
 * Zod schema for the Whiplash V2 order fields this service uses. Unknown fields pass through untouched and
 * money fields are ignored.
 *
 * Optional fields never fail: null, empty or whitespace-only text and values of an unreadable type all
 * become null (or an empty list). Numbers are accepted wherever text is expected. The parse fails only
 * for a missing or invalid `id`, `status`, `email` or `updated_at`, for an `order_items` value that is
 * not a list, and for a line item without a readable quantity.
 */
export const whiplashOrderSchema = orderFieldsSchema.transform(applyAddressRules);

/**
 * A Whiplash order after {@link whiplashOrderSchema}: values coerced and trimmed, email normalized, country
 * resolved, and `updated_at` read into `{ text, milliseconds }`.
 */
export type WhiplashOrder = z.output<typeof whiplashOrderSchema>;
