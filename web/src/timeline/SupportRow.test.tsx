import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { wrap } from '../test-utils';
import type { Schemas } from '../api/client';
import { SupportRow, uniqueItems } from './SupportRow';
import { group } from './testFixtures';

const item = (kind: Schemas['TimelineItem']['kind'], id: string, extra: Partial<Schemas['TimelineItem']> = {}): Schemas['TimelineItem'] => ({
  kind, id, sort_key: id, date: '2026-01-01', precision: 'day', approximate: false, obstacle: false, ...extra,
});

describe('timeline support grouping', () => {
  it('one row per action: the current status, the history folded, opened on demand with dates and who', async () => {
    wrap(
      <ol>
        <SupportRow g={group} />
      </ol>,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByText('Now: Submitted')).toBeInTheDocument();
    const toggle = screen.getByRole('button', { name: '4 status changes — Show the history of Diplomatic démarche — Embassy' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(/Proposed → Assigned/)).not.toBeVisible();
    await userEvent.click(toggle);
    expect(screen.getByRole('button', { name: /Hide the history/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getAllByRole('listitem')).toHaveLength(5);
    expect(screen.getByText(/Proposed → Assigned, .* · by Coord/)).toBeVisible();
    // Who is left out when the server does not send it (not a manager).
    expect(screen.getByText(/Assigned → In progress, [^·]*$/)).toBeVisible();
  });

  it('a page fetched again after a change never shows an action twice: the fresher copy replaces it in place', () => {
    const older = item('support_action', 'a1', { support_action: { ...group, status: 'in_progress' } });
    const newer = item('support_action', 'a1', { support_action: group });
    const out = uniqueItems([item('event', 'e1'), older, item('event', 'e2'), newer, item('hearing', 'a1')]);
    expect(out.map((i) => `${i.kind}:${i.id}`)).toEqual(['event:e1', 'support_action:a1', 'event:e2', 'hearing:a1']);
    expect(out[1]!.support_action!.status).toBe('submitted');
  });
});
