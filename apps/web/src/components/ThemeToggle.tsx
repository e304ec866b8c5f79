import { useEffect, useState } from 'react';
import { type Theme, applyTheme, chosenTheme, onSystemThemeChange, systemTheme } from '../theme.js';

/**
 * Dark theme on or off. Until it is used the page follows the system setting; a choice that
 * matches the system again goes back to following it.
 */
export function ThemeToggle() {
  const [chosen, setChosen] = useState(chosenTheme);
  const [system, setSystem] = useState(systemTheme);
  useEffect(
    () =>
      onSystemThemeChange(() => {
        setSystem(systemTheme());
      }),
    [],
  );
  const shown: Theme = chosen ?? system;
  const toggle = () => {
    const next: Theme = shown === 'dark' ? 'light' : 'dark';
    const choice = next === system ? undefined : next;
    applyTheme(choice);
    setChosen(choice);
  };
  return (
    <button type="button" className="theme-toggle" aria-pressed={shown === 'dark'} onClick={toggle}>
      Dark theme
    </button>
  );
}
