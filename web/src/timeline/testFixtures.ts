import type { Schemas } from '../api/client';

const change = (id: string, from: string, to: string, at: string, by: string | null = 'Coord') => ({
  change_id: id, date: at.slice(0, 10), at, from_status: from, status: to, changed_by_name: by,
});
/** A support action on the timeline with four status changes (the third by someone the caller cannot name). */
export const group: Schemas['SupportTimelineItem'] = {
  date: '2026-03-01', at: '2026-03-01T02:00:00Z', kind: 'support_action', id: 'a1', change_id: 'c4', title: 'Diplomatic démarche — Embassy', addressee: 'Embassy',
  type: 'demarche', status: 'submitted', from_status: 'in_progress', confidential: false, changed_by: 'u1', changed_by_name: 'Coord',
  started_at: '2026-01-05T02:00:00Z',
  changes: [
    change('c1', '', 'proposed', '2026-01-05T02:00:00Z'),
    change('c2', 'proposed', 'assigned', '2026-01-10T02:00:00Z'),
    change('c3', 'assigned', 'in_progress', '2026-02-01T02:00:00Z', null),
    change('c4', 'in_progress', 'submitted', '2026-03-01T02:00:00Z'),
  ],
};
