import { createContext, useContext } from 'react';
import type { JobsApi } from './jobsApi.js';

export interface ApiContextValue {
  api: JobsApi;
  /** Every failed call goes here, so a 401 anywhere brings up the token prompt. */
  reportError: (error: unknown) => void;
}

export const ApiContext = createContext<ApiContextValue | undefined>(undefined);

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (value === undefined) throw new Error('useApi needs an ApiContext provider above it');
  return value;
}
