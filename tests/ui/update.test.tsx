// @vitest-environment happy-dom
/** The update rule: a waiting version never reloads away unsaved input, and never strands the tablet. */
import 'fake-indexeddb/auto';
import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { decideUpdate } from '../../src/ui/updateRule';
import { UpdatePrompt } from '../../src/ui/UpdatePrompt';
import { setDirty, setUpdateWaiting, uiStore } from '../../src/ui/store';
import { requestUpdate } from '../../src/ui/serviceWorker';
import { cleanup } from '@testing-library/preact';

afterEach(() => {
  cleanup();
  uiStore.setState({ dirtyForms: new Set(), updateWaiting: false });
});

describe('decideUpdate', () => {
  it.each([
    [{ waiting: false, dirty: false, trigger: 'user' }, 'ignore'],
    [{ waiting: true, dirty: false, trigger: 'user' }, 'apply'],
    [{ waiting: true, dirty: true, trigger: 'user' }, 'waitForInput'],
    [{ waiting: true, dirty: false, trigger: 'hidden' }, 'apply'],
    [{ waiting: true, dirty: true, trigger: 'hidden' }, 'ignore'],
    [{ waiting: true, dirty: false, trigger: 'coldStart' }, 'apply'],
    [{ waiting: true, dirty: true, trigger: 'coldStart' }, 'ignore'],
  ] as const)('%o → %s', (input, expected) => {
    expect(decideUpdate(input)).toBe(expected);
  });
});

describe('UpdatePrompt', () => {
  it('is hidden until a version waits, then tells a person with unsaved input to save first', async () => {
    const { container } = render(<UpdatePrompt />);
    expect(container.textContent).toBe('');
    setUpdateWaiting(true);
    await screen.findByText('Ny versjon – last inn på nytt');
    setDirty('capture', true);
    expect(requestUpdate('hidden')).toBe('ignore');
    fireEvent.click(screen.getByRole('button', { name: 'Last inn på nytt' }));
    await screen.findByText(/Lagre eller tøm skjemaet først/);
    setDirty('capture', false);
    expect(requestUpdate('hidden')).toBe('apply');
  });
});
