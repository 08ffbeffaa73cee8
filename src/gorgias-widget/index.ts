export {
  buildWhiplashWidgetInput,
  isWhiplashWidget,
  setupWhiplashWidgets,
  WHIPLASH_WIDGET_CONTEXTS,
  WHIPLASH_WIDGET_TYPE,
  type SetupWhiplashWidgetsOptions,
  type WidgetSetupAction,
  type WidgetSetupClient,
  type WidgetSetupOutcome,
  type WidgetSetupResult,
} from './setup';
export { buildWhiplashWidgetTemplate, WHIPLASH_WIDGET_TITLE } from './template';
