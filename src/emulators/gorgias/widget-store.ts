import type { EmulatedWidget, WidgetFields, WidgetFilter, WidgetOrder } from './types';

interface StoredWidget {
  widget: EmulatedWidget;
  createdAtMs: number;
}

const FIRST_WIDGET_ID = 1;

/** The emulator's sidebar widgets, in memory. Widget ids start at 1 and increase. */
export class WidgetStore {
  private readonly widgets = new Map<number, StoredWidget>();
  private nextWidgetId = FIRST_WIDGET_ID;

  constructor(private readonly now: () => number) {}

  /** Lists matching widgets sorted by `order`, ties broken by creation time and then by id. */
  list(filter: WidgetFilter, order: WidgetOrder): EmulatedWidget[] {
    const matches = [...this.widgets.values()].filter((stored) => matchesFilter(stored.widget, filter));
    matches.sort((a, b) => {
      const byField = order.field === 'order' ? a.widget.order - b.widget.order : a.createdAtMs - b.createdAtMs;
      return byField || a.widget.id - b.widget.id;
    });
    if (order.direction === 'desc') {
      matches.reverse();
    }
    return matches.map((stored) => structuredClone(stored.widget));
  }

  get(id: number): EmulatedWidget | undefined {
    const stored = this.widgets.get(id);
    return stored && structuredClone(stored.widget);
  }

  /** Creates a widget. The caller has validated that `type` and `template` are present. */
  create(fields: WidgetFields & Pick<EmulatedWidget, 'type' | 'template'>): EmulatedWidget {
    const nowMs = this.now();
    const timestamp = new Date(nowMs).toISOString();
    const widget: EmulatedWidget = {
      id: this.nextWidgetId++,
      type: fields.type,
      context: 'ticket',
      template: {},
      order: 0,
      integration_id: null,
      app_id: null,
      deactivated_datetime: null,
      created_datetime: timestamp,
      updated_datetime: timestamp,
    };
    assignFields(widget, fields, timestamp);
    this.widgets.set(widget.id, { widget, createdAtMs: nowMs });
    return structuredClone(widget);
  }

  /** Replaces each given field as a whole, the template included. Returns undefined when the id is unknown. */
  update(id: number, fields: WidgetFields): EmulatedWidget | undefined {
    const stored = this.widgets.get(id);
    if (!stored) {
      return undefined;
    }
    assignFields(stored.widget, fields, new Date(this.now()).toISOString());
    return structuredClone(stored.widget);
  }

  /** Deletes a widget and returns whether it existed. */
  delete(id: number): boolean {
    return this.widgets.delete(id);
  }

  /** Deletes every widget and restarts the ids. */
  reset(): void {
    this.widgets.clear();
    this.nextWidgetId = FIRST_WIDGET_ID;
  }
}

function assignFields(widget: EmulatedWidget, fields: WidgetFields, timestamp: string): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) {
      Object.assign(widget, { [key]: structuredClone(value) });
    }
  }
  widget.updated_datetime = timestamp;
}

function matchesFilter(widget: EmulatedWidget, filter: WidgetFilter): boolean {
  if (filter.integrationId !== undefined && widget.integration_id !== filter.integrationId) {
    return false;
  }
  return filter.appId === undefined || widget.app_id === filter.appId;
}
