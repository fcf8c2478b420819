/**
 * The one way a console component reads a store: `useStore(consoleStore, (s) => s.session)`.
 * The same binding as the tablet's src/ui/useStore.ts (the console may not import
 * the tablet's code, see tests/architecture.test.ts); keep the two alike.
 *
 * A small Preact binding rather than zustand's own hook, which imports React
 * (preact/compat) for `useSyncExternalStore`. It keeps that hook's promises:
 * the component re-renders when its slice changes (compared with Object.is)
 * and only then, and a change made between the render and the subscription
 * (effects run after paint) is not missed.
 */
import { useEffect, useReducer, useRef } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

export function useStore<S, T>(store: Pick<StoreApi<S>, 'getState' | 'subscribe'>, select: (state: S) => T): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const selected = select(store.getState());
  const rendered = useRef({ select, selected });
  rendered.current = { select, selected };
  useEffect(() => {
    const check = () => {
      const { select: current, selected: shown } = rendered.current;
      if (!Object.is(current(store.getState()), shown)) rerender(0);
    };
    const unsubscribe = store.subscribe(check);
    check();
    return unsubscribe;
  }, [store]);
  return selected;
}
