/**
 * Entry: mount the app and register the service worker (production only).
 * Opened over plain HTTP on the network (no secure context: no service
 * worker, no WebCrypto) it shows one screen saying to use HTTPS instead.
 */
import { render } from 'preact';
import { App } from './ui/App';
import { DEFAULT_LANGUAGE, loadLanguage } from './ui/i18n';
import { registerServiceWorker } from './ui/serviceWorker';
import { uiStore } from './ui/store';
import './ui/styles.css';

// A stored nynorsk/English choice loads its strings first (a precached chunk), so the first paint is in that language.
const language = uiStore.getState().language;
const root = document.getElementById('app')!;
void loadLanguage(language)
  .catch(() => uiStore.setState({ language: DEFAULT_LANGUAGE }))
  .then(async () => {
    if (window.isSecureContext) return render(<App />, root);
    const { InsecureContextScreen } = await import('./ui/InsecureContextScreen');
    render(<InsecureContextScreen />, root);
  });
registerServiceWorker(); // a no-op without a secure context (no navigator.serviceWorker)
