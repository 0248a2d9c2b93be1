import { Button, Group, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EditForm } from './EditForm';
import { Area, PartialDateInput, VocabSelect } from './inputs';
import { partialDateRe } from './patch';

type Form = { role: string; status: string; started_at: string; ended_at: string; notes: string };

/** Today as a partial date (YYYY-MM-DD) in the user's zone. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** An assignment's role, status and period (ending it: status ended and the end date), PATCH + If-Match. */
export default function AssignmentEdit({ a, onSaved, onReload }: { a: Schemas['Assignment']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <EditForm<Form>
      key={a.version}
      initial={{ role: a.role, status: a.status, started_at: a.started_at ?? '', ended_at: a.ended_at ?? '', notes: a.notes }}
      version={a.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) => !partialDateRe.test(v.started_at) || !partialDateRe.test(v.ended_at)}
      save={async (patch, ifMatch) =>
        unwrap(
          await api.PATCH('/api/v1/cases/{id}/assignments/{aid}', {
            params: { path: { id: a.case_id, aid: a.id }, header: { 'If-Match': ifMatch } },
            body: patch,
          }),
        )
      }
    >
      {(v, set) => (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <VocabSelect field="role" label={t('assignment.role')} vocab="assignment_roles" value={v.role} onChange={(x) => set('role', x)} required />
            <VocabSelect field="status" label={t('assignment.status')} vocab="assignment_statuses" value={v.status} onChange={(x) => set('status', x)} required />
            <PartialDateInput field="started_at" label={t('edit.startedAt')} value={v.started_at} onChange={(x) => set('started_at', x)} />
            <PartialDateInput field="ended_at" label={t('edit.endedAt')} value={v.ended_at} onChange={(x) => set('ended_at', x)} />
          </SimpleGrid>
          {v.status === 'active' && (
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => {
                  set('status', 'ended');
                  if (!v.ended_at) set('ended_at', today());
                }}
              >
                {t('edit.endAssignment')}
              </Button>
            </Group>
          )}
          <Area field="notes" label={t('edit.notes')} value={v.notes} onChange={(x) => set('notes', x)} />
        </>
      )}
    </EditForm>
  );
}
