import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { Bars } from './Bars';
import { countBy } from '../pages/Dashboard';

describe('dashboard bars', () => {
  it('counts cases by status and renders an accessible list', () => {
    const cases = [{ status: 'open' }, { status: 'open' }, { status: 'closed' }] as never[];
    const counts = countBy(cases, 'status');
    expect(counts.get('open')).toBe(2);
    render(
      <MantineProvider>
        <Bars title="By status" rows={[...counts].map(([k, n]) => ({ key: k, label: k, count: n }))} />
      </MantineProvider>,
    );
    const list = screen.getByRole('list', { name: 'By status' });
    expect(list.querySelectorAll('li')).toHaveLength(2);
    expect(screen.getByText('open')).toBeInTheDocument();
  });
});
