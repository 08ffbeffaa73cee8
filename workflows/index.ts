// The workflow bundle's entry point: every workflow type the worker hosts.
export { orderWorkflow } from './order-workflow';
export { customerWorkflow } from './customer-workflow';
export { reconcileWorkflow } from './reconcile-workflow';
