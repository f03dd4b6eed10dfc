import { useWorkerDatabase } from './worker-db';

useWorkerDatabase();
