import { buildNewCustomerChannels, buildUpdatedChannels } from './channels';
import { GorgiasResponseError } from './errors';
import { createTransport, type Transport, type TransportRequest } from './http';
import { resolveClientOptions, type GorgiasClientOptions } from './options';
import {
  gorgiasCustomerPageSchema,
  gorgiasCustomerSchema,
  parseBody,
  type GorgiasChannel,
  type GorgiasCustomer,
  type GorgiasWidget,
  type GorgiasWidgetPage,
} from './schemas';
import {
  createWidget,
  getWidget,
  iterateWidgets,
  listAllWidgets,
  listWidgets,
  updateWidget,
  type GorgiasWidgetInput,
  type ListGorgiasWidgetsOptions,
} from './widgets';

/** Per-call options. */
export interface GorgiasCallOptions {
  /** Aborts the call. The call then rejects with the abort reason itself, not with a Gorgias error. */
  signal?: AbortSignal;
}

/** Fields of a new customer. */
export interface CreateGorgiasCustomerInput {
  email: string;
  name: string | null;
  phone: string | null;
}

/** Fields to change on a customer. */
export interface UpdateGorgiasCustomerInput {
  /** New name. Null clears it and undefined leaves it unchanged. */
  name?: string | null;
  email: string;
  /** Phone number to set. Null or undefined leaves the channels unchanged. */
  phone?: string | null;
  /**
   * The customer's current channels, kept when a phone is set. When they are not given and a phone is set, the
   * client reads the customer first, because Gorgias replaces the whole channel list.
   */
  existingChannels?: GorgiasChannel[];
}

/** Typed client for the customer and sidebar widget endpoints of the Gorgias REST API. */
export interface GorgiasClient {
  /** Lists every customer whose primary email is exactly `email`, oldest first, following all pages. */
  listCustomersByEmail(email: string, options?: GorgiasCallOptions): Promise<GorgiasCustomer[]>;
  /** Fetches one customer, including its sidebar `data`. */
  getCustomer(id: number, options?: GorgiasCallOptions): Promise<GorgiasCustomer>;
  /** Creates a customer. Throws a GorgiasApiError with status 409 when the email already belongs to a customer. */
  createCustomer(input: CreateGorgiasCustomerInput, options?: GorgiasCallOptions): Promise<GorgiasCustomer>;
  /** Updates a customer. Returns null when Gorgias accepts the update with an empty body. */
  updateCustomer(
    id: number,
    input: UpdateGorgiasCustomerInput,
    options?: GorgiasCallOptions,
  ): Promise<GorgiasCustomer | null>;
  /**
   * Replaces the customer's whole sidebar data blob. Gorgias applies the write later and skips it when `version`
   * is older than the stored version, so success does not prove the data was written. Throws a GorgiasApiError
   * with status 301 when the customer was merged into another.
   */
  setCustomerData(
    id: number,
    data: Record<string, unknown>,
    version: string,
    options?: GorgiasCallOptions,
  ): Promise<void>;
  /** Fetches one page of sidebar widgets, oldest first. Throws a TypeError when `limit` is not from 1 to 100. */
  listWidgets(options?: ListGorgiasWidgetsOptions & GorgiasCallOptions): Promise<GorgiasWidgetPage>;
  /** Yields every sidebar widget of the account, oldest first, following all pages. */
  iterateWidgets(options?: GorgiasCallOptions): AsyncIterable<GorgiasWidget>;
  /** Lists every sidebar widget of the account, oldest first, following all pages. */
  listAllWidgets(options?: GorgiasCallOptions): Promise<GorgiasWidget[]>;
  getWidget(id: number, options?: GorgiasCallOptions): Promise<GorgiasWidget>;
  createWidget(input: GorgiasWidgetInput, options?: GorgiasCallOptions): Promise<GorgiasWidget>;
  /**
   * Replaces a widget's type, context and template, and its order when given. Returns null when Gorgias accepts
   * the update with an empty body.
   */
  updateWidget(id: number, input: GorgiasWidgetInput, options?: GorgiasCallOptions): Promise<GorgiasWidget | null>;
}

const LIST_PAGE_SIZE = 100;

/** Creates a Gorgias client. Throws a TypeError naming the option when an option is invalid. */
export function createGorgiasClient(options: GorgiasClientOptions): GorgiasClient {
  const send = createTransport(resolveClientOptions(options));

  return {
    listCustomersByEmail: (email, callOptions) => listCustomersByEmail(send, email, callOptions?.signal),
    getCustomer: (id, callOptions) => getCustomer(send, id, callOptions?.signal),
    createCustomer: (input, callOptions) => createCustomer(send, input, callOptions?.signal),
    updateCustomer: (id, input, callOptions) => updateCustomer(send, id, input, callOptions?.signal),
    setCustomerData: (id, data, version, callOptions) => setCustomerData(send, id, data, version, callOptions?.signal),
    listWidgets: (listOptions = {}) => listWidgets(send, listOptions, listOptions.signal),
    iterateWidgets: (callOptions) => iterateWidgets(send, callOptions?.signal),
    listAllWidgets: (callOptions) => listAllWidgets(send, callOptions?.signal),
    getWidget: (id, callOptions) => getWidget(send, id, callOptions?.signal),
    createWidget: (input, callOptions) => createWidget(send, input, callOptions?.signal),
    updateWidget: (id, input, callOptions) => updateWidget(send, id, input, callOptions?.signal),
  };
}

async function getCustomer(send: Transport, id: number, signal?: AbortSignal): Promise<GorgiasCustomer> {
  const request = customerRequest('GET', id, '', signal);
  const response = await send(request);
  return parseBody(gorgiasCustomerSchema, response.body, request, response.status);
}

async function createCustomer(
  send: Transport,
  input: CreateGorgiasCustomerInput,
  signal?: AbortSignal,
): Promise<GorgiasCustomer> {
  const channels = buildNewCustomerChannels(input.email, input.phone);
  const request: TransportRequest = {
    method: 'POST',
    path: '/api/customers',
    route: '/api/customers',
    body: { email: input.email, name: input.name, channels },
    signal,
  };
  const response = await send(request);
  return parseBody(gorgiasCustomerSchema, response.body, request, response.status);
}

async function updateCustomer(
  send: Transport,
  id: number,
  input: UpdateGorgiasCustomerInput,
  signal?: AbortSignal,
): Promise<GorgiasCustomer | null> {
  let existingChannels = input.existingChannels;
  if (existingChannels === undefined && input.phone !== undefined && input.phone !== null) {
    existingChannels = (await getCustomer(send, id, signal)).channels ?? [];
  }

  const request = { ...customerRequest('PUT', id, '', signal), body: buildUpdateBody({ ...input, existingChannels }) };
  const response = await send(request);
  if (response.body === null) {
    return null;
  }
  return parseBody(gorgiasCustomerSchema, response.body, request, response.status);
}

async function setCustomerData(
  send: Transport,
  id: number,
  data: Record<string, unknown>,
  version: string,
  signal?: AbortSignal,
): Promise<void> {
  await send({ ...customerRequest('PUT', id, '/data', signal), body: { data, version } });
}

async function listCustomersByEmail(send: Transport, email: string, signal?: AbortSignal): Promise<GorgiasCustomer[]> {
  const customers: GorgiasCustomer[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | null = null;

  do {
    const query = new URLSearchParams({ email, order_by: 'created_datetime:asc', limit: String(LIST_PAGE_SIZE) });
    if (cursor !== null) {
      query.set('cursor', cursor);
    }
    const request: TransportRequest = {
      method: 'GET',
      path: `/api/customers?${query}`,
      route: '/api/customers',
      signal,
    };
    const response = await send(request);
    const page = parseBody(gorgiasCustomerPageSchema, response.body, request, response.status);
    customers.push(...page.data);

    cursor = page.meta.next_cursor ?? null;
    if (cursor !== null && seenCursors.has(cursor)) {
      throw new GorgiasResponseError(
        request.method,
        request.path,
        response.status,
        'meta.next_cursor repeats an earlier cursor',
      );
    }
    if (cursor !== null) {
      seenCursors.add(cursor);
    }
  } while (cursor !== null);

  return customers;
}

function buildUpdateBody(input: UpdateGorgiasCustomerInput): Record<string, unknown> {
  const body: Record<string, unknown> = { email: input.email };
  if (input.name !== undefined) {
    body.name = input.name;
  }
  // Sending `channels` replaces the whole list, so it is sent only when a phone has to be set.
  if (input.phone !== undefined && input.phone !== null) {
    body.channels = buildUpdatedChannels(input.existingChannels ?? [], input.email, input.phone);
  }
  return body;
}

function customerRequest(
  method: 'GET' | 'PUT',
  id: number,
  suffix: '' | '/data',
  signal: AbortSignal | undefined,
): TransportRequest {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(`Gorgias customer id must be a positive integer, got ${id}`);
  }
  return { method, path: `/api/customers/${id}${suffix}`, route: `/api/customers/:id${suffix}`, signal };
}
