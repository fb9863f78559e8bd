/**
 * The example handlers, for `HANDLER_MODULES=examples/handlers/index.ts npm start` (a path
 * relative to where the service starts, or absolute; several modules are comma-separated).
 */
import type { Handler } from '../../handlers/define';
import { customerNormaliseHandler } from './customer-normalise';
import { deviceCommandHandler } from './device-command';
import { imageProbeHandler } from './image-probe';
import { textIndexHandler } from './text-index';
import { pageExtractHandler, sitemapDiscoveryHandler } from './web-pages';

export const handlers: Handler[] = [
  textIndexHandler,
  imageProbeHandler,
  deviceCommandHandler,
  customerNormaliseHandler,
  sitemapDiscoveryHandler,
  pageExtractHandler,
];
