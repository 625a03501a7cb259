import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { api, link } from './api/index.js';
import { App } from './App.js';
import { Supervisor } from './lazy-supervisor.js';
import { initI18n } from './i18n.js';
import { createConsoleStore } from './store.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

/** `/admin`: the supervisor screen on its own, for a supervisor's browser on the office LAN (same PIN). */
const ADMIN_IDLE_MS = 60_000;

if (/\/admin\/?$/.test(window.location.pathname)) {
  await initI18n('ru');
  root.render(
    <StrictMode>
      <Suspense>
        <Supervisor api={api} where="remote" idleMs={ADMIN_IDLE_MS} language="ru" onLeave={() => undefined} />
      </Suspense>
    </StrictMode>,
  );
} else {
  // Drawn before the core answers: «Пульт запускается…» while it starts, in the office's language once known.
  const store = createConsoleStore(api, Date.now, link);
  await initI18n('ru');
  void store.getState().init();
  root.render(
    <StrictMode>
      <App store={store} api={api} />
    </StrictMode>,
  );
}
