/** Nynorsk, loaded when chosen: only bokmål ships in the first bundle (see ../index.ts). */
import { changeNn } from '../catalogs/change.nn';
import { coreNn } from '../catalogs/core.nn';
import { libraryNn } from '../catalogs/library.nn';
import { methodNn } from '../catalogs/method.nn';
import { networkNn } from '../catalogs/network.nn';
import { syncNn } from '../catalogs/sync.nn';

export const messages = { ...coreNn, ...syncNn, ...methodNn, ...networkNn, ...changeNn, ...libraryNn };
