import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { stubFetch, wrap } from '../test-utils';
import DetaineePage from './DetaineePage';

const detainee = {
  id: 'd-new',
  name: '刘晓波',
  other_names: [],
  sex: '',
  born_at: '1955',
  died_at: null,
  ethnic_group: '',
  religion: '',
  occupation_category: '',
  occupation: '',
  home_province: '',
  home_place: '',
  nationality: '',
  issue: '',
  detention_status: '',
  detention_place: '',
  facility_type: '',
  health_concerns: '',
  cross_references: [],
  summary: '',
  source: '',
  source_reliability: '',
  information_credibility: '',
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

function renderAt(state: unknown) {
  stubFetch({
    'GET /api/v1/detainees/d-new': [200, detainee],
    'GET /api/v1/detainees/d-old-1': [200, { ...detainee, id: 'd-old-1', name: '劉曉波', born_at: '1955-12' }],
    'GET /api/v1/detainees/d-old-2': [404, { error: { code: 'not_found', message: 'not found' } }],
    'GET /api/v1/cases': [200, { items: [], next_cursor: null, total: 0, total_capped: false }],
    'GET /api/v1/me': [200, { id: 'u1', email: 'c@x', name: 'C', role: 'coordinator' }],
    'GET /api/v1/vocabularies': [200, {}],
  });
  wrap(
    <MemoryRouter initialEntries={[{ pathname: '/detainees/d-new', state }]}>
      <Routes>
        <Route path="/detainees/:id" element={<DetaineePage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('DetaineePage possible duplicates', () => {
  it('after a create that reported possible duplicates, links each of them by name', async () => {
    renderAt({ possibleDuplicates: ['d-old-1', 'd-old-2'] });
    expect(await screen.findByText('This person may already be recorded')).toBeInTheDocument();
    // Named once read; one that cannot be read keeps its number.
    expect(await screen.findByRole('link', { name: /^劉曉波 \(born .*1955.*\)$/ })).toHaveAttribute('href', '/detainees/d-old-1');
    expect(screen.getByRole('link', { name: 'Possible duplicate 2' })).toHaveAttribute('href', '/detainees/d-old-2');
  });

  it('says nothing when the record was opened otherwise', async () => {
    renderAt(null);
    expect(await screen.findByRole('heading', { name: '刘晓波' })).toBeInTheDocument();
    expect(screen.queryByTestId('possible-duplicates')).not.toBeInTheDocument();
  });
});
