/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// Issue 24: at 400 kbit/s with 400 ms a round trip, every request that waits for another costs a round trip.
// index.html loads only boot.ts (small: it starts the session refresh and the language's resources), so it
// lists everything the sign-in form needs: the app (main) and the sign-in page's chunks with their static
// imports as modulepreload, their stylesheets as preload (not as stylesheets: a pending stylesheet holds back
// the module scripts, boot.ts included; the import of main adds them, from the preloaded response). The
// browser fetches them all at once instead of main after boot, then the sign-in chunks after the refresh.
function preloadSignIn(): Plugin {
  const roots = [/\/src\/main\.tsx$/, /\/src\/pages\/SignInPage\.tsx$/];
  return {
    name: 'habeas-preload-sign-in',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry);
        const js = new Set<string>();
        const css = new Set<string>();
        const queue = roots.map((re) => {
          const c = chunks.find((x) => x.facadeModuleId && re.test(x.facadeModuleId));
          if (!c) throw new Error(`habeas-preload-sign-in: no chunk for ${re}`);
          return c.fileName;
        });
        while (queue.length) {
          const f = queue.shift()!;
          if (js.has(f) || f === entry?.fileName) continue;
          js.add(f);
          const c = chunks.find((x) => x.fileName === f)!;
          queue.push(...c.imports);
          for (const s of c.viteMetadata?.importedCss ?? []) css.add(s);
        }
        return [
          ...[...css].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: '/' + f }, injectTo: 'head' as const })),
          ...[...js].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: '/' + f }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

// Issue 24: the service worker (sw/service-worker.js) with the list of the shell's files: every file of the
// build (hashed scripts, styles, language files; not the fonts) plus index.html, the manifest and the icons; its
// version is a hash of that list, so any change of the build installs a new worker with a new cache.
function serviceWorker(): Plugin {
  const publicFiles = ['/index.html', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png', '/icon-maskable-512.png'];
  return {
    name: 'habeas-service-worker',
    apply: 'build',
    generateBundle(_opts, bundle) {
      const files = Object.keys(bundle)
        // Not the script fonts: they load only on pages with such text (the worker keeps them once used).
        .filter((f) => f.startsWith('assets/') && !/\.(woff2?|ttf|otf)$/.test(f))
        .sort()
        .map((f) => '/' + f);
      const shell = [...publicFiles, ...files];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 16);
      const src = readFileSync(new URL('./sw/service-worker.js', import.meta.url), 'utf8')
        .replace('= __VERSION__;', `= ${JSON.stringify(version)};`)
        .replace('= __SHELL__;', `= ${JSON.stringify(shell)};`);
      if (/= __(VERSION|SHELL)__;/.test(src)) throw new Error('habeas-service-worker: a placeholder was not replaced');
      this.emitFile({ type: 'asset', fileName: 'service-worker.js', source: src });
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadSignIn(), serviceWorker()],
  build: {
    outDir: '../internal/webui/dist/app',
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or module-preload polyfill: the server's CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // The sign-in page's Mantine modules (core, hooks, utils and the components it shows) in one chunk, `ui`:
    // otherwise they came as ~12 files of a few hundred bytes, each a request (issue 24: 24 -> 14 files on the
    // sign-in path). The list only affects the request count: a component left out lands in a chunk of its own,
    // which index.html still preloads.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'ui',
              test: /node_modules\/@mantine\/(hooks\/|core\/esm\/(core|utils)\/|core\/esm\/components\/(Anchor|ActionIcon|Alert|Box|Button|Center|Checkbox|CloseButton|Code|Container|FloatingIndicator|Group|InlineInput|Input|List|Loader|Paper|PasswordInput|SegmentedControl|Stack|Text|TextInput|Title|UnstyledButton|Transition|Portal)\/)/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:18090' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    env: { VITE_API_BASE: 'http://localhost' },
    testTimeout: 20_000,
  },
});
