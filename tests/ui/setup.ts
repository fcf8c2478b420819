/**
 * Shared set-up for screen tests: a fresh real database (fake-indexeddb) per
 * test, installed as the app's database, a unit on the device, UI state reset.
 */
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { newId, type Unit } from '../../src/domain';
import { NedenfraDb } from '../../src/data/db';
import { createLocalUnit } from '../../src/data/local';
import { installDatabase } from '../../src/ui/appDb';
import { uiStore } from '../../src/ui/store';

export async function freshApp(options: { withUnit?: boolean } = {}): Promise<{ db: NedenfraDb; unit: Unit | null }> {
  const db = new NedenfraDb(`ui-test-${newId()}`);
  await db.open();
  installDatabase(db);
  localStorage.clear();
  history.replaceState(null, '', '#/capture');
  const unit = options.withUnit === false ? null : await createLocalUnit(db, { municipality: 'Sørum', name: 'Hjemmetjenesten' });
  uiStore.setState({ language: 'nb', unit, dirtyForms: new Set(), updateWaiting: false, notice: null });
  return { db, unit };
}

export async function teardown(db: NedenfraDb): Promise<void> {
  cleanup();
  db?.close();
  await db?.delete();
}
