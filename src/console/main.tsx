/** Entry of the municipal console (/kommune/): mount the app. No service worker: the console is an online tool. */
import { render } from 'preact';
import { ConsoleApp } from './App';
import './console.css';

render(<ConsoleApp />, document.getElementById('console')!);
