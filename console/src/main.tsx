import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import LeafyGreenProvider from '@leafygreen-ui/leafygreen-provider';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './console.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LeafyGreenProvider>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </LeafyGreenProvider>
  </StrictMode>,
);
