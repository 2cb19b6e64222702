import { describeOnBothStores } from '@aegis/e2e';
import { authStoreContract } from './contract';

describeOnBothStores('auth store', 'auth.db', authStoreContract);
