// Renderer entry: i18n from the OS language (settings may override it once loaded), then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './components/App.tsx';
import { createI18n, pickLanguage } from './i18n.ts';
import './styles.css';

const i18n = createI18n(pickLanguage(null, navigator.language));
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  );
}
