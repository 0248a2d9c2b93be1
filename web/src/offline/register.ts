// Registers the service worker (production builds only; public/ + sw/service-worker.js) and reports when a new
// version waits, so the page can offer "update available, reload".
const listeners = new Set<() => void>();
let waiting: ServiceWorker | null = null;

export const updateWaiting = (): boolean => waiting !== null;
export function onUpdate(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function found(w: ServiceWorker | null) {
  if (!w) return;
  const ready = () => {
    if (w.state === 'installed' && navigator.serviceWorker.controller) {
      waiting = w;
      for (const l of listeners) l();
    }
  };
  ready();
  w.addEventListener('statechange', ready);
}

export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  try {
    const reg = await navigator.serviceWorker.register('/service-worker.js', { scope: '/' });
    found(reg.waiting);
    reg.addEventListener('updatefound', () => found(reg.installing));
  } catch {
    /* no worker (e.g. not a secure context): the app works online as before */
  }
}

/** Lets the waiting worker take over and reloads once it controls the page. */
export function applyUpdate() {
  if (!waiting) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  waiting.postMessage('SKIP_WAITING');
}
