export {
  createGorgiasClient,
  type CreateGorgiasCustomerInput,
  type GorgiasCallOptions,
  type GorgiasClient,
  type UpdateGorgiasCustomerInput,
} from './client';
export {
  GorgiasApiError,
  GorgiasNetworkError,
  GorgiasResponseError,
  isRetryableGorgiasError,
  type RedactedRequest,
} from './errors';
export type { GorgiasResponseInfo } from './http';
export type { GorgiasAuth, GorgiasClientOptions, GorgiasRequestBudget } from './options';
export type { GorgiasChannel, GorgiasCustomer, GorgiasWidget, GorgiasWidgetPage } from './schemas';
export type {
  GorgiasWidgetContext,
  GorgiasWidgetInput,
  GorgiasWidgetTemplate,
  GorgiasWidgetTemplateNode,
  ListGorgiasWidgetsOptions,
} from './widgets';
