import { createApp } from '../../../solutions/errors/next-and-middleware/src/app';
import { createMemoryStore } from '../../../solutions/errors/next-and-middleware/src/notes-store';
import { sweep } from '../sweep';

sweep('errors/next-and-middleware', () => ({
  app: createApp({ store: createMemoryStore([{ title: 'first', body: '' }]), logger: { error: () => {} } }),
  params: { id: '1' },
  bodies: { 'POST /notes': { title: 'a note', body: 'text' } },
}));
