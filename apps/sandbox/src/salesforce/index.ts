export { createSalesforceSandbox, SalesforceSandbox } from './salesforce-sandbox';
