import { TextInput, Textarea, createTheme, type CSSVariablesResolver } from '@mantine/core';

/** Mantine's default system font stack. */
const systemFonts =
  '-apple-system, BlinkMacSystemFont, Segoe UI, Roboto, Helvetica, Arial, sans-serif, Apple Color Emoji, Segoe UI Emoji';

/** The script fonts shipped with the app (src/fonts/fonts.css). */
export const scriptFonts = '"Habeas Arabic", "Habeas Tibetan"';

export const theme = createTheme({
  primaryColor: 'indigo',
  // The app's fonts for Uyghur (Arabic script) and Tibetan come first: their @font-face unicode-range covers only
  // those scripts, so the browser downloads one only when such text is on the page (src/fonts/fonts.css).
  fontFamily: `${scriptFonts}, ${systemFonts}`,
  headings: { fontFamily: `${scriptFonts}, ${systemFonts}` },
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: 'sm',
  respectReducedMotion: true,
  components: {
    // Mantine draws a dialog's title bar as a <header>: outside any landmark that is a second "banner" (the
    // page's own header is the first), so every open dialog broke axe's landmark rules. Here it is a plain group.
    // (A plain object, not Modal.extend: importing Modal here would put the dialog code and its styles on the
    // sign-in path; scripts/sizes.mjs checks that.)
    Modal: { defaultProps: { attributes: { header: { role: 'presentation' } } } },
    // Typed text (names, titles, notes) takes the direction of its first strong letter: Uyghur right to left.
    TextInput: TextInput.extend({ defaultProps: { attributes: { input: { dir: 'auto' } } } }),
    Textarea: Textarea.extend({ defaultProps: { attributes: { input: { dir: 'auto' } } } }),
  },
});

// Mantine's default dimmed grey and the text of its light and outline badges are below WCAG AA contrast
// on white: use darker ones (every colour a badge uses: statuses, custody measures, outcomes).
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-indigo-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-color-red-light-color': 'var(--mantine-color-red-9)',
    '--mantine-color-yellow-light-color': '#7a4a00',
    '--mantine-color-green-light-color': '#1b6e2e',
    '--mantine-color-gray-light-color': 'var(--mantine-color-gray-8)',
    '--mantine-color-orange-light-color': '#8a3a00',
    '--mantine-color-blue-light-color': 'var(--mantine-color-blue-9)',
    '--mantine-color-grape-light-color': 'var(--mantine-color-grape-9)',
    '--mantine-color-pink-light-color': 'var(--mantine-color-pink-9)',
    '--mantine-color-violet-light-color': 'var(--mantine-color-violet-9)',
    '--mantine-color-cyan-light-color': '#0a5c6b',
    '--mantine-color-teal-light-color': '#06634a',
    '--mantine-color-gray-outline': 'var(--mantine-color-gray-7)',
    // A field's error text (and the text of the field in error) was red 6, 3.3:1 on white: below AA.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
