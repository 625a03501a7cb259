import './zod-jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/index.js';
import { App } from './App.js';
import { initI18n } from './i18n.js';
import { createConsoleStore } from './store.js';
import './styles.css';

const store = createConsoleStore(api);
await store.getState().init();
await initI18n(store.getState().setup?.language.default ?? 'ru');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
