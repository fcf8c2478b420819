// @vitest-environment happy-dom
/**
 * The one way a component reads a store: a slice, re-rendered when that slice
 * changes and only then, including a change that lands between the first
 * render and the moment the component subscribes (effects run after paint).
 */
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { syncStore, INITIAL_SYNC_STATUS } from '../../src/data/sync/syncStore';
import { uiStore } from '../../src/ui/store';
import { useStore } from '../../src/ui/useStore';

const host = () => document.body.appendChild(document.createElement('div'));
/** Preact runs effects after the next animation frame; wait past it. */
const afterPaint = () => new Promise((resolve) => setTimeout(resolve, 50));

afterEach(() => {
  document.body.innerHTML = '';
  uiStore.setState({ updateWaiting: false, language: 'nb' });
  syncStore.setState(INITIAL_SYNC_STATUS);
});

describe('reading a store from a component', () => {
  it('shows a change made before the component subscribed (UI store)', async () => {
    function Waiting() {
      return <p>{useStore(uiStore, (s) => (s.updateWaiting ? 'waiting' : 'current'))}</p>;
    }
    const root = host();
    render(<Waiting />, root);
    expect(root.textContent).toBe('current');
    uiStore.setState({ updateWaiting: true }); // before the effect that subscribes has run
    await afterPaint();
    expect(root.textContent).toBe('waiting');
  });

  it('shows a change made before the component subscribed (sync status)', async () => {
    function Unsent() {
      return <p>{useStore(syncStore, (s) => s.unsent)}</p>;
    }
    const root = host();
    render(<Unsent />, root);
    syncStore.setState({ unsent: 3 });
    await afterPaint();
    expect(root.textContent).toBe('3');
  });

  it('re-renders on a change of its slice, and not on other changes', async () => {
    let renders = 0;
    function Language() {
      renders++;
      return <p>{useStore(uiStore, (s) => s.language)}</p>;
    }
    const root = host();
    render(<Language />, root);
    await afterPaint();
    const before = renders;
    uiStore.setState({ updateWaiting: true });
    await afterPaint();
    expect(renders).toBe(before);
    uiStore.setState({ language: 'en' });
    await afterPaint();
    expect(root.textContent).toBe('en');
    expect(renders).toBe(before + 1);
  });
});
