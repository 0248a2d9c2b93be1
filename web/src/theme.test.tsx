import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { AppShell, Modal } from '@mantine/core';
import { wrap } from './test-utils';
import { theme } from './theme';

describe('theme', () => {
  it('a dialog adds no second banner landmark', async () => {
    wrap(
      <AppShell header={{ height: 56 }}>
        <AppShell.Header>Habeas</AppShell.Header>
        <Modal opened onClose={() => {}} title="Edit the case" closeButtonProps={{ 'aria-label': 'Close' }}>
          body
        </Modal>
      </AppShell>,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit the case' });
    expect(dialog).toBeInTheDocument();
    // Only the page's own header is a banner; the dialog's title bar is not.
    expect(screen.getAllByRole('banner')).toHaveLength(1);
    expect(dialog.querySelector('header')?.getAttribute('role')).toBe('presentation');
    expect(screen.getByRole('heading', { name: 'Edit the case' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });

  it('puts the shipped script fonts first (their unicode-range keeps other text on the system fonts)', () => {
    expect(theme.fontFamily).toMatch(/^"Habeas Arabic", "Habeas Tibetan", /);
  });
});

describe('user text direction', () => {
  it('typed text fields take the direction of their text (dir=auto)', async () => {
    const { TextInput, Textarea } = await import('@mantine/core');
    wrap(
      <>
        <TextInput label="Name" defaultValue="ئىلھام توختى" />
        <Textarea label="Description" defaultValue="text" />
      </>,
    );
    expect(screen.getByLabelText('Name')).toHaveAttribute('dir', 'auto');
    expect(screen.getByLabelText('Description')).toHaveAttribute('dir', 'auto');
  });
});
