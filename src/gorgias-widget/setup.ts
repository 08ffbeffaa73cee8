import { isDeepStrictEqual } from 'node:util';

import { WIDGET_DATA_KEY } from '../domain/widget';
import type { GorgiasClient, GorgiasWidget, GorgiasWidgetContext, GorgiasWidgetInput } from '../gorgias';
import { buildWhiplashWidgetTemplate } from './template';

/** Sidebar contexts that get a Whiplash widget, each with its own widget. */
export const WHIPLASH_WIDGET_CONTEXTS: readonly GorgiasWidgetContext[] = ['ticket', 'customer'];

/** Widget type whose template reads the customer's `data` blob, where the sync writes its orders. */
export const WHIPLASH_WIDGET_TYPE = 'custom';

/** Action setup took, or in a dry run would take, in one context. */
export type WidgetSetupAction = 'created' | 'updated' | 'unchanged';

/** Outcome of setup in one context. */
export interface WidgetSetupOutcome {
  action: WidgetSetupAction;
  /** Id of the kept or created widget. Null only in a dry run that would create one. */
  widgetId: number | null;
  /** Ids of newer Whiplash widgets in the same context. Setup leaves them in place for a person to delete. */
  duplicateIds: number[];
  /** True when the kept widget is hidden in Gorgias (`deactivated_datetime` set). Setup does not unhide it. */
  deactivated: boolean;
}

/** Outcome per sidebar context. */
export type WidgetSetupResult = Record<GorgiasWidgetContext, WidgetSetupOutcome>;

/** Settings of {@link setupWhiplashWidgets}. */
export interface SetupWhiplashWidgetsOptions {
  /** Sidebar position, lower first. Left out, a new widget gets Gorgias's default and an existing one keeps its own. */
  order?: number;
  /** Reads the widgets and reports what would change without creating or updating any. */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** The client methods setup calls. */
export type WidgetSetupClient = Pick<GorgiasClient, 'listAllWidgets' | 'createWidget' | 'updateWidget'>;

/**
 * Creates or updates the Whiplash widget in the ticket and the customer contexts, so that running it again
 * changes nothing. A widget whose template already matches is left alone without a request.
 *
 * When a context has several Whiplash widgets, setup keeps the oldest (by `created_datetime`, then id), brings it
 * up to date and reports the others in `duplicateIds` without deleting them, because a person may have made them.
 */
export async function setupWhiplashWidgets(
  client: WidgetSetupClient,
  options: SetupWhiplashWidgetsOptions = {},
): Promise<WidgetSetupResult> {
  const widgets = await client.listAllWidgets({ signal: options.signal });
  const result: Partial<WidgetSetupResult> = {};

  for (const context of WHIPLASH_WIDGET_CONTEXTS) {
    const ours = widgets.filter((widget) => isWhiplashWidget(widget) && contextOf(widget) === context);
    ours.sort(compareOldestFirst);
    result[context] = await setupContext(client, context, ours, options);
  }
  return result as WidgetSetupResult;
}

/** Returns the widget that setup writes for `context`. */
export function buildWhiplashWidgetInput(context: GorgiasWidgetContext, order?: number): GorgiasWidgetInput {
  const input: GorgiasWidgetInput = { type: WHIPLASH_WIDGET_TYPE, context, template: buildWhiplashWidgetTemplate() };
  if (order !== undefined) {
    input.order = order;
  }
  return input;
}

/**
 * Returns whether setup owns `widget`: a `custom` widget whose template root has a card bound to the data key
 * the sync writes (`whiplash`). Both survive a PUT because setup itself sends them, and no other integration
 * renders that key. A hand-made custom widget bound to the same key counts as ours and is overwritten.
 */
export function isWhiplashWidget(widget: GorgiasWidget): boolean {
  if (widget.type !== WHIPLASH_WIDGET_TYPE || !isRecord(widget.template)) {
    return false;
  }
  const children = widget.template.widgets;
  if (widget.template.type !== 'wrapper' || !Array.isArray(children)) {
    return false;
  }
  return children.some((node) => isRecord(node) && node.type === 'card' && node.path === WIDGET_DATA_KEY);
}

async function setupContext(
  client: WidgetSetupClient,
  context: GorgiasWidgetContext,
  ours: GorgiasWidget[],
  options: SetupWhiplashWidgetsOptions,
): Promise<WidgetSetupOutcome> {
  const input = buildWhiplashWidgetInput(context, options.order);
  const [kept, ...duplicates] = ours;
  const duplicateIds = duplicates.map((widget) => widget.id);

  if (kept === undefined) {
    if (options.dryRun) {
      return { action: 'created', widgetId: null, duplicateIds, deactivated: false };
    }
    const created = await client.createWidget(input, { signal: options.signal });
    return { action: 'created', widgetId: created.id, duplicateIds, deactivated: false };
  }

  const deactivated = typeof kept.deactivated_datetime === 'string';
  if (isUpToDate(kept, input)) {
    return { action: 'unchanged', widgetId: kept.id, duplicateIds, deactivated };
  }
  if (!options.dryRun) {
    await client.updateWidget(kept.id, input, { signal: options.signal });
  }
  return { action: 'updated', widgetId: kept.id, duplicateIds, deactivated };
}

// NOTE: the comparison assumes Gorgias returns the template exactly as it was sent. If Gorgias added fields to
// stored templates, every run would report `updated` and send one PUT per context, but nothing else would break.
function isUpToDate(widget: GorgiasWidget, input: GorgiasWidgetInput): boolean {
  if (!isDeepStrictEqual(widget.template, input.template)) {
    return false;
  }
  return input.order === undefined || widget.order === input.order;
}

/** Reads a missing context as `ticket`, the documented default. */
function contextOf(widget: GorgiasWidget): string {
  return widget.context ?? 'ticket';
}

function compareOldestFirst(a: GorgiasWidget, b: GorgiasWidget): number {
  const created = (widget: GorgiasWidget) => {
    const ms = widget.created_datetime === undefined ? NaN : Date.parse(widget.created_datetime);
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return created(a) - created(b) || a.id - b.id;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
