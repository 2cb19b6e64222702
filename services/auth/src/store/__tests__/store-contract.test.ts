import { describeOnBothStores } from '@aegis/testing';
import { authStoreContract } from './contract';

describeOnBothStores('auth store', 'auth.db', authStoreContract);
