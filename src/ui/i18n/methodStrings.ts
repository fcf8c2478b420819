/**
 * The method's bokmål strings (sessions, evaluations, decisions, leader mode),
 * kept out of the first bundle: every module that shows them imports this file
 * for its effect, so they arrive with the first screen that needs them (their
 * chunk is precached like every screen, so offline too). Nynorsk and English
 * carry all their strings in their own chunks (languages/).
 */
import { methodNb } from './catalogs/method.nb';
import { addBokmalStrings } from './index';

addBokmalStrings(methodNb);
