import { WIDGET_DATA_KEY } from '../domain/widget';
import type { GorgiasWidgetTemplate, GorgiasWidgetTemplateNode } from '../gorgias';

/** Title of the top-level card, which Gorgias shows as the widget's heading in the sidebar. */
export const WHIPLASH_WIDGET_TITLE = 'Whiplash';

/**
 * Builds the template of the Whiplash sidebar widget. It reads the blob the sync writes under
 * `customer.data.whiplash` (see `WidgetData` in `src/domain/widget.ts`) and shows four sections: the customer,
 * the newest shipping address, the orders with their products, and the time of the last sync. Keys starting
 * with `_` in the blob are internal and left out.
 */
export function buildWhiplashWidgetTemplate(): GorgiasWidgetTemplate {
  return {
    type: 'wrapper',
    widgets: [
      card(WHIPLASH_WIDGET_TITLE, WIDGET_DATA_KEY, [
        card('Customer', 'customer', [
          leaf('text', 'name', 'Name'),
          leaf('email', 'email', 'Email'),
          leaf('text', 'phone', 'Phone'),
        ]),
        card('Address', 'address', addressFields()),
        list('orders', orderCard()),
        leaf('date', 'synced_at', 'Synced at'),
      ]),
    ],
  };
}

function orderCard(): GorgiasWidgetTemplateNode {
  return {
    type: 'card',
    title: 'Order',
    widgets: [
      leaf('text', 'order_number', 'Order number'),
      leaf('date', 'date_created', 'Date'),
      leaf('text', 'status', 'Status'),
      leaf('boolean', 'requires_signature', 'Signature required'),
      leaf('text', 'shipping_method', 'Shipping method'),
      leaf('text', 'store', 'Store'),
      card('Ship to', 'ship_to', addressFields()),
      leaf('array', 'tracking_numbers', 'Tracking numbers'),
      leaf('array', 'tracking_links', 'Tracking links'),
      list('products', {
        type: 'card',
        title: 'Product',
        widgets: [leaf('text', 'sku', 'SKU'), leaf('text', 'quantity', 'Quantity')],
      }),
      // The sync lists a limited number of lines per order and puts "+N more" here for the rest.
      leaf('text', 'more_products', 'More products'),
    ],
  };
}

function addressFields(): GorgiasWidgetTemplateNode[] {
  return [
    leaf('text', 'address1', 'Address line 1'),
    leaf('text', 'address2', 'Address line 2'),
    leaf('text', 'city', 'City'),
    leaf('text', 'state', 'State'),
    leaf('text', 'zip', 'ZIP code'),
    leaf('text', 'country', 'Country'),
  ];
}

function card(title: string, path: string, widgets: GorgiasWidgetTemplateNode[]): GorgiasWidgetTemplateNode {
  return { type: 'card', title, path, widgets };
}

/** Builds a list, which repeats its one child template for each array element. The child carries no path. */
function list(path: string, item: GorgiasWidgetTemplateNode): GorgiasWidgetTemplateNode {
  return { type: 'list', path, widgets: [item] };
}

function leaf(
  type: 'text' | 'date' | 'boolean' | 'email' | 'array',
  path: string,
  title: string,
): GorgiasWidgetTemplateNode {
  return { type, path, title };
}
