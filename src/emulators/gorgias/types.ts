/** A channel as stored and returned by the emulator. */
export interface EmulatedChannel {
  id: number;
  type: string;
  address: string;
  preferred: boolean;
  created_datetime: string;
}

/** A channel in a create, update or merge body. */
export interface ChannelFields {
  type: string;
  address: string;
  preferred?: boolean;
}

/** Writable customer fields. A field left out is not changed. */
export interface CustomerFields {
  email?: string | null;
  name?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  external_id?: string | null;
  note?: string | null;
  language?: string | null;
  timezone?: string;
  meta?: Record<string, unknown> | null;
  /** Replaces the whole channel list, as Gorgias does. */
  channels?: ChannelFields[];
}

/** A customer as returned by the API. */
export interface EmulatedCustomer {
  id: number;
  email: string | null;
  name: string | null;
  firstname: string | null;
  lastname: string | null;
  external_id: string | null;
  note: string | null;
  language: string | null;
  timezone: string;
  meta: Record<string, unknown> | null;
  channels: EmulatedChannel[];
  /** Sidebar data blob, null until the first `/data` write is applied. */
  data: Record<string, unknown> | null;
  created_datetime: string;
  updated_datetime: string;
}

/** Filters of `GET /api/customers`. Each one is an exact, case-sensitive match. */
export interface CustomerFilter {
  email?: string;
  externalId?: string;
  channelType?: string;
  channelAddress?: string;
}

/** Result of a write that can hit a missing customer or a taken email. */
export type WriteResult =
  | { kind: 'ok'; customer: EmulatedCustomer }
  | { kind: 'not-found'; id: number }
  | { kind: 'email-taken'; existingId: number };

/** Result of `PUT /api/customers/{id}/data`. */
export type DataWriteResult = { kind: 'accepted' } | { kind: 'merged'; targetId: number } | { kind: 'not-found' };

/** Sidebar context of a widget. Gorgias also has a deprecated `user` context, which the emulator rejects. */
export type WidgetContext = 'ticket' | 'customer';

/** Writable widget fields. A field left out of an update is not changed. */
export interface WidgetFields {
  type?: string;
  context?: WidgetContext;
  /** Replaced as a whole, never merged. */
  template?: Record<string, unknown>;
  order?: number;
  integration_id?: number | null;
  app_id?: string | null;
  deactivated_datetime?: string | null;
}

/** A sidebar widget as returned by the API. */
export interface EmulatedWidget {
  id: number;
  type: string;
  context: WidgetContext;
  template: Record<string, unknown>;
  /** Position in the sidebar, lower first. */
  order: number;
  integration_id: number | null;
  app_id: string | null;
  /** Set when the widget is hidden. */
  deactivated_datetime: string | null;
  created_datetime: string;
  updated_datetime: string;
}

/** Filters of `GET /api/widgets`, each an exact match. */
export interface WidgetFilter {
  integrationId?: number;
  appId?: string;
}

/** Sort key and direction of `GET /api/widgets`. */
export interface WidgetOrder {
  field: 'created_datetime' | 'order';
  direction: 'asc' | 'desc';
}
