import { statusName } from '../../domain/order-status';
import { parseWhiplashTimestamp } from '../../whiplash/order-schema';
import { formatWhiplashTimestamp } from './timestamps';
import { createSeededRandom } from '../seeded-random';

/** Settings of {@link generateWhiplashOrders}. */
export interface GenerateWhiplashOrdersOptions {
  /** Number of orders, from 0 to 100000. */
  count: number;
  /** Number of distinct consumers. Order i belongs to consumer `(i mod consumers) + 1`. */
  consumers: number;
  /** Number of stores (merchant account and Shopify shop pairs) the orders are spread over. */
  stores: number;
  /** Seed of the pseudo-random choices. The same options always give the same orders. @default 1 */
  seed?: number;
  /** Earliest `updated_at`, inclusive. @default 2026-03-01T00:00:00-05:00 */
  updatedFrom?: string | Date;
  /**
   * Latest `updated_at`, exclusive. It must be at least one second after `updatedFrom`.
   * @default 2026-04-01T00:00:00-04:00
   */
  updatedTo?: string | Date;
  /** Id of the first order. The others follow without gaps. @default 9000001 */
  firstId?: number;
}

/** Id of the first generated order unless `firstId` is given. */
export const DEFAULT_FIRST_GENERATED_ID = 9_000_001;

const DEFAULT_UPDATED_FROM = '2026-03-01T00:00:00.000-05:00';
const DEFAULT_UPDATED_TO = '2026-04-01T00:00:00.000-04:00';
const MAX_GENERATED_ORDERS = 100_000;
// Orders are created up to three days before their last update.
const MAX_CREATED_BEFORE_UPDATE_SECONDS = 3 * 24 * 3600;

// Invented stores. The first matches the store of the test fixtures (account 4101, shop 311).
const STORE_NAMES: readonly [string, string][] = [
  ['north-trail', 'NTO'],
  ['harbor-light', 'HLG'],
  ['copper-kettle', 'CKP'],
  ['meadowlark-records', 'MLR'],
  ['granite-peak', 'GPS'],
  ['blue-spruce', 'BSW'],
  ['fox-run', 'FRC'],
  ['lantern-works', 'LTW'],
];

const PRODUCTS: readonly { sku: string; description: string; price: string; itemId: number }[] = [
  { sku: 'BEANIE-GRY', description: 'Trail Beanie, Heather Grey', price: '22.0', itemId: 730112 },
  { sku: 'MUG-ENAMEL', description: 'Enamel Camp Mug, 12 oz', price: '18.0', itemId: 730155 },
  { sku: 'TEE-NAVY-M', description: 'Logo Tee, Navy, M', price: '28.0', itemId: 730201 },
  { sku: 'SOCKS-WOOL', description: 'Wool Hiking Socks', price: '16.0', itemId: 730245 },
  { sku: 'CAP-OLIVE', description: 'Canvas Cap, Olive', price: '24.0', itemId: 730288 },
  { sku: 'BOTTLE-STL', description: 'Steel Water Bottle, 20 oz', price: '32.0', itemId: 730310 },
  { sku: 'PATCH-SET', description: 'Embroidered Patch Set', price: '12.0', itemId: 730342 },
  { sku: 'VINYL-LP', description: 'Vinyl LP, 180 g', price: '30.0', itemId: 730377 },
];

const FIRST_NAMES = [
  'Avery', 'Jordan', 'Riley', 'Morgan', 'Casey', 'Quinn', 'Rowan', 'Harper',
  'Emerson', 'Sawyer', 'Reese', 'Dakota', 'Hayden', 'Parker', 'Skyler', 'Finley',
]; // prettier-ignore
const LAST_NAMES = [
  'Lindqvist', 'Okafor', 'Achterberg', 'Marchetti', 'Nakamura', 'Halvorsen', 'Whitcombe', 'Ferreira',
  'Kowalczyk', 'Abernathy', 'Sorensen', 'Castellanos', 'Delacroix', 'Brennan', 'Oyelaran', 'Tanaka',
]; // prettier-ignore
const STREETS = [
  'Larkspur Lane', 'Cedar Bluff Drive', 'Juniper Court', 'Maple Hollow Road',
  'Birchwood Avenue', 'Quarry Street', 'Willow Bend Way', 'Osprey Point Road',
]; // prettier-ignore
// Real US cities with a matching ZIP code and area code. Phone numbers use the 555-01xx block reserved for fiction.
const CITIES: readonly { city: string; state: string; zip: string; areaCode: string }[] = [
  { city: 'Springfield', state: 'IL', zip: '62704', areaCode: '217' },
  { city: 'Boise', state: 'ID', zip: '83702', areaCode: '208' },
  { city: 'Portland', state: 'OR', zip: '97214', areaCode: '503' },
  { city: 'Burlington', state: 'VT', zip: '05401', areaCode: '802' },
  { city: 'Asheville', state: 'NC', zip: '28801', areaCode: '828' },
  { city: 'Madison', state: 'WI', zip: '53703', areaCode: '608' },
  { city: 'Tucson', state: 'AZ', zip: '85719', areaCode: '520' },
  { city: 'Duluth', state: 'MN', zip: '55802', areaCode: '218' },
];

const SHIPPING_METHODS = [
  { id: 5, carrier: 'USPS', service: 'Priority', description: 'Priority Mail', name: 'USPS Priority Mail' },
  { id: 12, carrier: 'UPS', service: 'Ground', description: 'Ground', name: 'UPS Ground' },
  { id: 21, carrier: 'FedEx', service: '2Day', description: '2 Day', name: 'FedEx 2Day' },
];

/** Status codes with their share of generated orders and the status an order usually had before. */
const STATUS_MIX: readonly { status: number; weight: number; previous: number | null }[] = [
  { status: 100, weight: 30, previous: null },
  { status: 120, weight: 10, previous: 100 },
  { status: 160, weight: 10, previous: 150 },
  { status: 300, weight: 35, previous: 250 },
  { status: 350, weight: 8, previous: 300 },
  { status: 40, weight: 5, previous: 100 },
  { status: 90, weight: 2, previous: 100 },
];

const SHIPPED_STATUSES = new Set([300, 350]);

interface Store {
  customerId: number;
  shopId: number;
  shopDomain: string;
  code: string;
  groupId: string;
  warehouseId: number;
}

interface Consumer {
  name: string;
  email: string;
  phone: string;
  address1: string;
  address2: string | null;
  city: string;
  state: string;
  zip: string;
}

/**
 * Generates realistic Whiplash V2 orders with every field of a real listing, for tests and benchmarks. People,
 * stores and tracking numbers are invented. Throws a TypeError naming the option when an option is invalid.
 */
export function generateWhiplashOrders(options: GenerateWhiplashOrdersOptions): Record<string, unknown>[] {
  const settings = validateOptions(options);
  const random = createSeededRandom(settings.seed);
  const orders: Record<string, unknown>[] = [];

  for (let index = 0; index < settings.count; index += 1) {
    const consumerNumber = (index % settings.consumers) + 1;
    const primaryStore = ((consumerNumber - 1) % settings.stores) + 1;
    // One order in five goes to another store, so some consumers buy from several stores.
    const storeNumber =
      settings.stores > 1 && random() < 0.2 ? 1 + Math.floor(random() * settings.stores) : primaryStore;
    const updatedSeconds = settings.fromSeconds + Math.floor(random() * (settings.toSeconds - settings.fromSeconds));
    const createdSeconds = updatedSeconds - Math.floor(random() * MAX_CREATED_BEFORE_UPDATE_SECONDS);

    orders.push(
      buildOrder({
        id: settings.firstId + index,
        index,
        store: describeStore(storeNumber),
        consumer: describeConsumer(consumerNumber),
        createdMs: createdSeconds * 1000,
        updatedMs: updatedSeconds * 1000,
        random,
      }),
    );
  }
  return orders;
}

interface OrderSpec {
  id: number;
  index: number;
  store: Store;
  consumer: Consumer;
  createdMs: number;
  updatedMs: number;
  random: () => number;
}

/** Lays out one order with the fields, field order and value shapes of a Whiplash V2 order. */
function buildOrder(spec: OrderSpec): Record<string, unknown> {
  const { id, store, consumer, random } = spec;
  const { status, previous } = pickStatus(random);
  const shipped = SHIPPED_STATUSES.has(status);
  const method = SHIPPING_METHODS[Math.floor(random() * SHIPPING_METHODS.length)] ?? SHIPPING_METHODS[0]!;
  const created = formatWhiplashTimestamp(spec.createdMs);
  const updated = formatWhiplashTimestamp(spec.updatedMs);
  const tracking = shipped ? trackingNumber(random) : null;
  const trackingLink = tracking === null ? null : `https://tools.usps.com/go/TrackConfirmAction?tLabels=${tracking}`;
  const packageId = 20_000_000 + spec.index;
  const originator = buildOriginator(70_000_000 + spec.index * 10, id, 'Order', store, String(5_931_000_000_000 + id));
  const lineCount = 1 + Math.floor(random() * 3);
  const items = Array.from({ length: lineCount }, (_, line) =>
    buildItem(spec, line, packageId, PRODUCTS[Math.floor(random() * PRODUCTS.length)] ?? PRODUCTS[0]!, shipped),
  );
  const requireSignature = random() < 0.1;
  const requireAdultSignature = random() < 0.02;

  return {
    id,
    customer_id: store.customerId,
    order_batch_id: shipped ? 55_000 + (spec.index % 500) : null,
    quote_id: null,
    warehouse_id: store.warehouseId,
    return_warehouse_id: null,
    shipping_method_id: method.id,
    estimated_shipping_method_id: null,
    humanize_id: String(id),
    status,
    status_name: statusName(status),
    previous_status: previous,
    order_orig: `#${store.code}${1000 + spec.index}`,
    package_label_reference: null,
    level1_token: null,
    level2_token: null,
    workable_at: created,
    skip_street_date: false,
    due_at: null,
    created_at: created,
    updated_at: updated,
    meta_data: null,
    customer_provided_label_carrier: null,
    purchase_order: null,
    order_type: 'direct_to_consumer',
    batch_priority: false,
    email: consumer.email,
    address_verified: true,
    items_updateable: !shipped,
    address_message: null,
    scac: null,
    tms_id: null,
    tms_required: null,
    shop_warehouse_ids: [],
    shop_shipping_method_currency: 'USD',
    shop_created_at: created,
    shop_updated_at: created,
    shop_shipping_method_text: 'Standard Shipping',
    shop_shipping_method_price: '5.95',
    billing_company: null,
    billing_address_1: null,
    billing_address_2: null,
    billing_address_3: null,
    billing_city: null,
    billing_state: null,
    billing_zip: null,
    billing_country: null,
    billing_phone: null,
    billed: shipped,
    billing_name: null,
    first_name: null,
    last_name: null,
    full_name: null,
    shipping_name: consumer.name,
    shipping_company: null,
    shipping_address_1: consumer.address1,
    shipping_address_2: consumer.address2,
    shipping_city: consumer.city,
    shipping_state: consumer.state,
    shipping_zip: consumer.zip,
    shipping_country: 'US',
    shipping_country_iso2: 'US',
    shipping_phone: consumer.phone,
    requested_address: null,
    residential: true,
    expedited: false,
    require_signature: requireSignature || requireAdultSignature,
    require_adult_signature: requireAdultSignature,
    saturday_delivery: false,
    gift: false,
    insure: false,
    contains_alcohol: false,
    customs_required: false,
    incoterm: null,
    shipping_carrier_facility: null,
    shipping_hold_for_pickup: null,
    ship_actual_cost: shipped ? '7.85' : null,
    shipped_on: shipped ? updated : null,
    ship_notes: null,
    shipping_confirmation_sent: shipped,
    ship_3rdparty_cost: '0.0',
    ship_3rdparty_account: null,
    ship_3rdparty_zip: null,
    ship_3rdparty_country: null,
    payment_type: 'sender',
    public_note: null,
    days_in_transit: 3,
    days_in_transit_carrier_estimate: null,
    req_insurance_value: null,
    ship_method: method.name,
    packingslip_pdf_url: null,
    cf_packingslip_pdf_url: null,
    customs_vat_number: null,
    customs_eori_number: null,
    customs_ioss_number: null,
    customs_receiver_tax_id: null,
    tracking: tracking === null ? [] : [tracking],
    tracking_links: trackingLink === null ? [] : [trackingLink],
    approximate_delivery_date: shipped ? formatDate(spec.updatedMs + 3 * 24 * 3600 * 1000) : null,
    global_e_ge_order: false,
    calculated_time_limit: 30,
    within_return_time_limit: shipped,
    return_name: null,
    return_company: null,
    return_address_1: null,
    return_address_2: null,
    return_city: null,
    return_state: null,
    return_country: null,
    return_zip: null,
    return_phone: null,
    return_email: null,
    return_address_verified: null,
    return_time_limit: null,
    is_workable: true,
    is_gestating: false,
    permissions_limited: false,
    order_items: items,
    originator,
    proto_originator_id: originator.original_id,
    packages: [
      {
        id: packageId,
        order_id: id,
        shipped_on: shipped ? updated : null,
        ship_actual_cost: shipped ? '7.85' : null,
        actual_weight: shipped ? '6.4' : null,
        actual_width: shipped ? '8.0' : null,
        actual_height: shipped ? '2.0' : null,
        actual_length: shipped ? '10.0' : null,
        actual_dimensional_weight: null,
        tracking,
        tracking_link: trackingLink,
        order_item_ids: items.map((item) => item.id),
        created_at: created,
        updated_at: updated,
        ucc128: null,
        barcode_sscc18: null,
        ship_actual_currency: shipped ? 'USD' : null,
        manifest_id: null,
      },
    ],
    shipping_method: {
      ...method,
      international: false,
      active: true,
      flat_rate: false,
      expedited: false,
      trackable: true,
      origins: ['US'],
      extended_description: null,
      multi_parcel: method.carrier !== 'USPS',
      created_at: '2024-05-01T09:00:00.000-04:00',
      updated_at: '2024-05-01T09:00:00.000-04:00',
    },
    serial_numbers: [],
  };
}

function buildItem(
  spec: OrderSpec,
  line: number,
  packageId: number,
  product: (typeof PRODUCTS)[number],
  shipped: boolean,
): Record<string, unknown> & { id: number } {
  const id = spec.id * 10 + line;
  const created = formatWhiplashTimestamp(spec.createdMs);
  const originatorId = 70_000_000 + spec.index * 10 + 1 + line;
  return {
    id,
    order_id: spec.id,
    customer_id: spec.store.customerId,
    item_id: product.itemId,
    package_id: packageId,
    quote_item_id: null,
    sku: `${spec.store.code}-${product.sku}`,
    description: product.description,
    quantity: 1 + Math.floor(spec.random() * 2),
    price: product.price,
    created_at: created,
    updated_at: created,
    unshippable: false,
    available: true,
    packed: shipped ? 1 : 0,
    packaging: false,
    wholesale_cost: null,
    is_bundle: false,
    retail_fee: null,
    promo: false,
    returnable: null,
    currency: 'USD',
    wholesale_fee: null,
    hazmat: false,
    misc: null,
    request_serial_number: false,
    case_quantity: null,
    carton_quantity: null,
    goh: false,
    originator: buildOriginator(originatorId, id, 'OrderItem', spec.store, String(14_221_000_000_000 + id)),
    wholesale_item: null,
  };
}

function buildOriginator(
  id: number,
  originatedId: number,
  originatedType: 'Order' | 'OrderItem',
  store: Store,
  originalId: string,
): Record<string, unknown> & { original_id: string } {
  return {
    id,
    originated_id: originatedId,
    originated_type: originatedType,
    shop_id: store.shopId,
    shop_domain: store.shopDomain,
    provider: 'shopify',
    original_id: originalId,
    group_id: store.groupId,
    misc: null,
    active: true,
    integration_id: null,
    last_notified_at: null,
    last_notification_status: null,
    last_synced_at: null,
    distinct_originator_key: null,
    created_at: '2025-11-04T09:30:00.000-05:00',
    updated_at: '2025-11-04T09:30:00.000-05:00',
    application_id: null,
  };
}

function describeStore(storeNumber: number): Store {
  const [slug, code] = STORE_NAMES[(storeNumber - 1) % STORE_NAMES.length] ?? ['store', 'STR'];
  const cycle = Math.floor((storeNumber - 1) / STORE_NAMES.length);
  const suffix = cycle === 0 ? '' : `-${cycle + 1}`;
  return {
    customerId: 4100 + storeNumber,
    shopId: 310 + storeNumber,
    shopDomain: `${slug}${suffix}-example.myshopify.com`,
    code: `${code}${cycle === 0 ? '' : cycle + 1}`,
    groupId: String(8_833_119 + storeNumber),
    warehouseId: 1 + (storeNumber % 3),
  };
}

function describeConsumer(consumerNumber: number): Consumer {
  const index = consumerNumber - 1;
  const first = FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Avery';
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Lindqvist';
  const place = CITIES[index % CITIES.length] ?? CITIES[0]!;
  const street = STREETS[(index * 3) % STREETS.length] ?? STREETS[0];
  return {
    name: `${first} ${last}`,
    email: `consumer-${consumerNumber}@example.com`,
    phone: `(${place.areaCode}) 555-01${String(consumerNumber % 100).padStart(2, '0')}`,
    address1: `${100 + ((consumerNumber * 37) % 900)} ${street}`,
    address2: consumerNumber % 3 === 0 ? `Apt ${(consumerNumber % 9) + 1}${'ABCD'[consumerNumber % 4]}` : null,
    city: place.city,
    state: place.state,
    zip: place.zip,
  };
}

function pickStatus(random: () => number): { status: number; previous: number | null } {
  const total = STATUS_MIX.reduce((sum, entry) => sum + entry.weight, 0);
  let ticket = random() * total;
  for (const entry of STATUS_MIX) {
    ticket -= entry.weight;
    if (ticket < 0) {
      return entry;
    }
  }
  return STATUS_MIX[0]!;
}

/** Generates a 22-digit number shaped like a USPS tracking number. */
function trackingNumber(random: () => number): string {
  let digits = '9400111';
  while (digits.length < 22) {
    digits += String(Math.floor(random() * 10));
  }
  return digits;
}

function formatDate(epochMs: number): string {
  return formatWhiplashTimestamp(epochMs).slice(0, 10);
}

/** Mulberry32: a small, fast 32-bit PRNG. Good enough for test data, not for anything secret. */
interface GeneratorSettings {
  count: number;
  consumers: number;
  stores: number;
  seed: number;
  firstId: number;
  fromSeconds: number;
  /** Exclusive. */
  toSeconds: number;
}

function validateOptions(options: GenerateWhiplashOrdersOptions): GeneratorSettings {
  const count = requireInteger('count', options.count, 0, MAX_GENERATED_ORDERS);
  const consumers = requireInteger('consumers', options.consumers, 1, Number.MAX_SAFE_INTEGER);
  const stores = requireInteger('stores', options.stores, 1, 10_000);
  const seed = requireInteger('seed', options.seed ?? 1, 0, 0xffff_ffff);
  const firstId = requireInteger('firstId', options.firstId ?? DEFAULT_FIRST_GENERATED_ID, 1, 2 ** 31 - 1 - count);
  const fromMs = parseInstant('updatedFrom', options.updatedFrom ?? DEFAULT_UPDATED_FROM);
  const toMs = parseInstant('updatedTo', options.updatedTo ?? DEFAULT_UPDATED_TO);

  // Whole seconds, as Whiplash timestamps have them: the first whole second at or after `updatedFrom`, up to the
  // last whole second before `updatedTo`.
  const fromSeconds = Math.ceil(fromMs / 1000);
  const toSeconds = Math.ceil(toMs / 1000);
  if (toSeconds <= fromSeconds) {
    throw new TypeError('generateWhiplashOrders option updatedTo must be at least one second after updatedFrom');
  }
  return { count, consumers, stores, seed, firstId, fromSeconds, toSeconds };
}

function requireInteger(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(
      `generateWhiplashOrders option ${option} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function parseInstant(option: string, value: string | Date): number {
  const ms = value instanceof Date ? value.getTime() : parseWhiplashTimestamp(String(value));
  if (ms === null || Number.isNaN(ms)) {
    throw new TypeError(
      `generateWhiplashOrders option ${option} must be an ISO 8601 time such as 2026-03-01T00:00:00Z, ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}
