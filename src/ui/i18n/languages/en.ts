/** English, loaded when chosen: only bokmål ships in the first bundle (see ../index.ts). */
import { changeEn } from '../catalogs/change.en';
import { coreEn } from '../catalogs/core.en';
import { libraryEn } from '../catalogs/library.en';
import { methodEn } from '../catalogs/method.en';
import { networkEn } from '../catalogs/network.en';
import { syncEn } from '../catalogs/sync.en';

export const messages = { ...coreEn, ...syncEn, ...methodEn, ...networkEn, ...changeEn, ...libraryEn };
