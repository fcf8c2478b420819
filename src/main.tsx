/** Entry: mount the app and register the service worker (production only). */
import { render } from 'preact';
import { App } from './ui/App';
import { DEFAULT_LANGUAGE, loadLanguage } from './ui/i18n';
import { registerServiceWorker } from './ui/serviceWorker';
import { uiStore } from './ui/store';
import './ui/styles.css';

// A stored nynorsk/English choice loads its strings first (a precached chunk), so the first paint is in that language.
const language = uiStore.getState().language;
void loadLanguage(language)
  .catch(() => uiStore.setState({ language: DEFAULT_LANGUAGE }))
  .then(() => render(<App />, document.getElementById('app')!));
registerServiceWorker();
