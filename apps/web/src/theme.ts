export type Theme = 'light' | 'dark';

const key = 'jobs.theme';
const darkQuery = '(prefers-color-scheme: dark)';

/** The theme chosen with the toggle, kept across visits; undefined: follow the system. */
export function chosenTheme(): Theme | undefined {
  const value = localStorage.getItem(key);
  return value === 'light' || value === 'dark' ? value : undefined;
}

export function systemTheme(): Theme {
  return window.matchMedia(darkQuery).matches ? 'dark' : 'light';
}

/** Shows `theme` (styles.css reads data-theme) and remembers it; undefined follows the system. */
export function applyTheme(theme: Theme | undefined): void {
  if (theme === undefined) {
    localStorage.removeItem(key);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(key, theme);
    document.documentElement.dataset.theme = theme;
  }
}

/** Calls `listener` when the system switches between light and dark. */
export function onSystemThemeChange(listener: () => void): () => void {
  const media = window.matchMedia(darkQuery);
  media.addEventListener('change', listener);
  return () => {
    media.removeEventListener('change', listener);
  };
}
