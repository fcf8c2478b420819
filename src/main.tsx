/** Entry: mount the app and register the service worker (production only). */
import { render } from 'preact';
import { App } from './ui/App';
import { registerServiceWorker } from './ui/serviceWorker';
import './ui/styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
