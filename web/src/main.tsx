import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { getLocale, loadTexts } from './i18n/i18n';
import './app/styles.css';

document.documentElement.lang = getLocale();

function render(): void {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The language's texts first (a chunk of about 20 KB compressed): a page rendered without them
// would flash its keys. Should they fail to arrive, the app still starts rather than stay blank.
loadTexts(getLocale()).then(render, render);
