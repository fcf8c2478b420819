/**
 * The method's and the change follow-up's bokmål strings (sessions,
 * evaluations, decisions, leader mode; a change's page, benefits, learning log,
 * ladder, due list), kept out of the first bundle: every module of src/ui/method
 * and src/ui/change that shows them imports this file
 * for its effect, so they arrive with the first screen that needs them (their
 * chunk is precached like every screen, so offline too). Nynorsk and English
 * carry all their strings in their own chunks (languages/).
 */
import { changeNb } from './catalogs/change.nb';
import { methodNb } from './catalogs/method.nb';
import { addBokmalStrings } from './index';

addBokmalStrings({ ...methodNb, ...changeNb });
