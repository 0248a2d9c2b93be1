import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { wrap } from '../test-utils';
import { Fields } from './Fields';

describe('Fields foldEmpty', () => {
  it('folds the empty fields behind one toggle', async () => {
    wrap(<Fields foldEmpty rows={[['Court', 'Beijing'], ['Procuratorate', ''], ['Summary', null]]} />);
    expect(screen.getByText('Beijing')).toBeInTheDocument();
    expect(screen.queryByText('Procuratorate')).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Show 2 empty fields' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(screen.getByText('Procuratorate')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hide 2 empty fields' })).toHaveAttribute('aria-expanded', 'true');
  });
});
