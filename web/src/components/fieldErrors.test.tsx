import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18n from '../i18n';
import { HttpError } from '../api/client';
import { EditForm } from '../edit/EditForm';
import { Line, PartialDateInput } from '../edit/inputs';
import { ErrorText } from './ErrorText';
import { fieldErrorsOf, fieldMessage } from './fieldErrors';

const refused = (fields: Record<string, string>, codes?: Record<string, string>) =>
  new HttpError(400, { code: 'validation_failed', message: 'the request has invalid fields', fields, field_codes: codes as never, request_id: 'rq-1' });

afterEach(() => void i18n.changeLanguage('en'));

describe('field messages', () => {
  const t = i18n.t.bind(i18n);
  it('says why in words: a sentence for the field and reason, else the reason, else "not valid"', () => {
    expect(fieldMessage(t, 'due_at', 'before_start')).toBe('The due date is before the request date.');
    expect(fieldMessage(t, 'title', 'too_long')).toBe('This is too long.');
    expect(fieldMessage(t, 'charges[2].article', 'required')).toBe('This is required.');
    expect(fieldMessage(t, 'title', 'a_code_from_a_newer_server')).toBe('This value is not valid.');
    expect(fieldMessage(t, 'title', undefined)).toBe('This value is not valid.');
  });
  it('reads only 400 answers with fields', () => {
    expect(fieldErrorsOf(t, refused({ died_at: 'x' }, { died_at: 'before_start' }))).toEqual({ died_at: 'The date of death is before the date of birth.' });
    expect(fieldErrorsOf(t, new HttpError(404, { code: 'case_not_found', message: 'no', request_id: 'r' }))).toEqual({});
    expect(fieldErrorsOf(t, new Error('x'))).toEqual({});
  });
});

function form(save: () => Promise<unknown>) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient()}>
        <EditForm initial={{ name: 'Liu', died_at: '' }} version={1} save={save} onSaved={vi.fn()} onReload={vi.fn()}>
          {(v, set) => (
            <>
              <Line field="name" label="Name" value={v.name} onChange={(x) => set('name', x)} />
              <PartialDateInput field="died_at" label="Died" value={v.died_at} onChange={(x) => set('died_at', x)} />
            </>
          )}
        </EditForm>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe('EditForm with refused fields', () => {
  it('shows the reason under the field that failed, calmly, in English and in Chinese', async () => {
    const save = vi.fn().mockRejectedValue(refused({ died_at: 'the date of death 2001 is before the date of birth 2010' }, { died_at: 'before_start' }));
    form(save);
    await userEvent.type(screen.getByLabelText('Died'), '2001');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const died = screen.getByLabelText('Died');
    // Under the field: Mantine links the error to the input (aria-describedby, aria-invalid).
    expect(await screen.findByText('The date of death is before the date of birth.', { selector: '.mantine-InputWrapper-error' })).toBeInTheDocument();
    expect(died).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid', 'true');
    // The summary is calm and in words: no "Something went wrong", no raw field name.
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Not done yet');
    expect(alert).toHaveTextContent('Date of death: The date of death is before the date of birth.');
    expect(alert).not.toHaveTextContent('Something went wrong');
    expect(alert).not.toHaveTextContent('died_at');

    await i18n.changeLanguage('zh-Hans');
    expect(await screen.findByText('死亡日期早于出生日期。', { selector: '.mantine-InputWrapper-error' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('尚未完成');
  }, 30_000);
});

describe('ErrorText tone', () => {
  function show(error: unknown) {
    render(
      <MantineProvider env="test">
        <ErrorText error={error} />
      </MantineProvider>,
    );
    return screen.getByRole('alert');
  }
  it('is calm for expected refusals, with what to do', () => {
    const a = show(new HttpError(404, { code: 'case_not_found', message: 'case not found', request_id: 'r1' }));
    expect(a).toHaveTextContent('Not done yet');
    expect(a).toHaveTextContent('Case not found, or not visible to you.');
    expect(a).toHaveTextContent('not shared with you');
    expect(a).not.toHaveTextContent('Something went wrong');
  });
  it('says how long to wait after a rate limit', () => {
    const a = show(new HttpError(429, { code: 'mfa_throttled', message: 'x', request_id: 'r2' }, 30));
    expect(a).toHaveTextContent('Too many wrong codes');
    expect(a).toHaveTextContent('about 30 seconds');
  });
  it('keeps "Something went wrong" and the request id for server failures', () => {
    const a = show(new HttpError(500, { code: 'internal_error', message: 'x', request_id: 'r3' }));
    expect(a).toHaveTextContent('Something went wrong');
    expect(a).toHaveTextContent('r3');
  });
});
