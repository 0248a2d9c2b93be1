import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { wrap } from '../test-utils';
import { RecoveryCodes } from './RecoveryCodes';
import { recoveryFileName, recoveryText } from './recoveryFile';

describe('recovery codes', () => {
  it('the file holds a title, the date and one code a line', () => {
    expect(recoveryText(['aaaa-bbbb', 'cccc-dddd'], 'Codes', 'Made today')).toBe('Codes\r\nMade today\r\n\r\naaaa-bbbb\r\ncccc-dddd\r\n');
    expect(recoveryFileName(new Date(2026, 11, 7))).toBe('habeas-recovery-codes-2026-12-07.txt');
  });

  it('offers copy, download and print; download saves the codes as a text file', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:x';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    wrap(<RecoveryCodes codes={['aaaa-bbbb', 'cccc-dddd']} />);
    expect(screen.getByRole('button', { name: 'Copy the codes' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Print' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Download (.txt)' }));
    expect(click).toHaveBeenCalled();
    expect(created).toHaveLength(1);
    const text = await created[0]!.text();
    expect(text).toContain('aaaa-bbbb\r\ncccc-dddd');
    expect(created[0]!.type).toBe('text/plain;charset=utf-8');
  });
});
