import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider, TextInput } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { EditForm } from './EditForm';
import { diffPatch } from './patch';
import { HttpError } from '../api/client';

describe('diffPatch', () => {
  it('keeps only changed fields, comparing arrays deeply', () => {
    const a = { name: 'x', other_names: [{ name: 'y', kind: 'latin' }], notes: 'n' };
    expect(diffPatch(a, { ...a, other_names: [{ name: 'y', kind: 'latin' }] })).toEqual({});
    expect(diffPatch(a, { ...a, name: 'z', other_names: [] })).toEqual({ name: 'z', other_names: [] });
  });
});

function setup(save: (patch: unknown, ifMatch: string) => Promise<unknown>) {
  const onSaved = vi.fn();
  const onReload = vi.fn();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <EditForm initial={{ name: 'Old', place: 'P' }} version={3} save={save} onSaved={onSaved} onReload={onReload}>
          {(v, set) => <TextInput label="Name" value={v.name} onChange={(e) => set('name', e.currentTarget.value)} />}
        </EditForm>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { onSaved, onReload };
}

describe('EditForm', () => {
  it('sends only the changed fields with If-Match of the version read', async () => {
    const save = vi.fn().mockResolvedValue({});
    const { onSaved } = setup(save);
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.clear(screen.getByLabelText('Name'));
    await userEvent.type(screen.getByLabelText('Name'), 'New');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(save).toHaveBeenCalledWith({ name: 'New' }, '"3"');
    expect(onSaved).toHaveBeenCalled();
  });

  it('on 412 says the record changed meanwhile and offers a reload', async () => {
    const save = vi.fn().mockRejectedValue(new HttpError(412, { code: 'version_mismatch', message: 'stale', request_id: 'r' }));
    const { onSaved, onReload } = setup(save);
    await userEvent.type(screen.getByLabelText('Name'), '!');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changed meanwhile')).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalled();
  });
});
