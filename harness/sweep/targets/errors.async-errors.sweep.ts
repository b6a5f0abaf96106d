import { createApp } from '../../../solutions/errors/async-errors/src/app';
import { createMemoryCatalog } from '../../../solutions/errors/async-errors/src/catalog';
import { sweep } from '../sweep';

sweep('errors/async-errors', () => ({
  app: createApp({
    catalog: createMemoryCatalog([{ sku: 'KB-001', name: 'Keyboard', price: 49, stock: 3 }]),
    logger: { error: () => {} },
  }),
  params: { sku: 'KB-001' },
}));
