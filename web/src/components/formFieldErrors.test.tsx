// Issue 24: the support-action and timeline forms show the API's refused fields under the inputs, in the
// user's language (field_codes), besides the summary.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import i18n from '../i18n';
import { stubFetch, wrap } from '../test-utils';
import { LogEventForm } from '../timeline/TimelineSection';
import { HearingForm } from '../timeline/HearingForm';
import { CreateAction } from '../support/SupportSection';

const refused = (fields: Record<string, string>) => [
  400,
  { code: 'validation_failed', message: 'Some fields are not valid', request_id: 'rq', fields: Object.fromEntries(Object.keys(fields).map((f) => [f, 'bad'])), field_codes: fields },
] as [number, unknown];

afterEach(() => void i18n.changeLanguage('en'));

describe('refused fields under their inputs', () => {
  it('log an event: the description too long and a detail refused, each under its field', async () => {
    stubFetch({
      'GET /api/v1/vocabularies': [200, { event_types: [{ value: 'meeting_denied', label: 'Lawyer meeting denied' }] }],
      'GET /api/v1/cases/c1/assignments': [200, { items: [] }],
      'GET /api/v1/cases/c1/evidence': [200, { items: [], next_cursor: null }],
      'POST /api/v1/cases/c1/events': refused({ description: 'too_long', place: 'invalid_text' }),
    });
    wrap(<LogEventForm caseId="c1" onDone={vi.fn()} />);
    await userEvent.click(screen.getAllByLabelText(/What happened/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Lawyer meeting denied' }));
    await userEvent.type(screen.getByLabelText('Description'), 'x');
    await userEvent.click(screen.getByRole('button', { name: /More details/ }));
    await userEvent.type(screen.getByLabelText('Place', { exact: true }), 'y');
    await userEvent.click(screen.getByRole('button', { name: 'Log event' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Description')).toHaveAccessibleDescription('This is too long.'));
    expect(screen.getByLabelText('Place', { exact: true })).toHaveAccessibleDescription('This text has characters that are not allowed.');
    // The summary names the fields by their labels, never the API's names.
    expect(screen.getByRole('alert')).toHaveTextContent('Description');
    expect(screen.getByRole('alert')).not.toHaveTextContent('description:');
  });

  it('schedule a hearing: the date refused, in Chinese', async () => {
    await i18n.changeLanguage('zh-Hans');
    stubFetch({
      'GET /api/v1/vocabularies': [200, {}],
      'POST /api/v1/cases/c1/hearings': refused({ scheduled_at: 'invalid_date' }),
    });
    wrap(<HearingForm caseId="c1" onDone={vi.fn()} />);
    const at = screen.getByLabelText(/法院当地日期和时间|日期/, { selector: 'input' });
    await userEvent.type(at, '2027-01-05T09:30');
    await userEvent.click(screen.getByRole('button', { name: i18n.t('hearings.save') }));
    await vi.waitFor(() => expect(at).toHaveAccessibleDescription(new RegExp(i18n.t('fieldErrors.codes.invalid_date').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
  });

  it('new support action: the due date before the request date, said for that field', async () => {
    stubFetch({
      'GET /api/v1/support-vocabularies': [200, { support_action_types: [{ value: 'x_test', label: 'A test type' }] }],
      'GET /api/v1/me': [200, { id: 'u1', name: 'Me', role: 'coordinator' }],
      'POST /api/v1/cases/c1/support-actions': refused({ due_at: 'before_start' }),
    });
    wrap(<CreateAction caseId="c1" onDone={vi.fn()} />);
    await userEvent.click(screen.getAllByLabelText(/^Type/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'A test type' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    await vi.waitFor(() => expect(screen.getByLabelText('Due date')).toHaveAccessibleDescription(i18n.t('fieldErrors.byField.due_at.before_start')));
  });
});
