import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { wrap } from '../test-utils';
import CampaignChart from './CampaignChart';

const months = [
  { month: '2015-07', detained: 3, released: 0, in_custody: 3, events: 5 },
  { month: '2015-08', detained: 1, released: 2, in_custody: 2, events: 0 },
];

describe('the campaign chart', () => {
  it('is an image with a title and the same numbers as a table', () => {
    wrap(<CampaignChart months={months} capped />);
    expect(screen.getByRole('img', { name: 'Cases and events per month' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Cases and events per month' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole('rowheader', { name: '2015-07' })).toBeInTheDocument();
    expect(within(rows[2]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['2', '1', '2', '0']);
    expect(screen.getByText(/Only the last 2 months are shown/)).toBeInTheDocument();
  });
});
