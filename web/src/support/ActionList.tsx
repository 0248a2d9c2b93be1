import { lazy, Suspense, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, HttpError, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/hooks';
import { ErrorText } from '../components/ErrorText';
import { Loading } from '../components/States';
import { formatPartialDate } from '../format';
import { nextStatuses } from './query';
import { useSupportVocab } from './vocab';

const ActionEdit = lazy(() => import('./ActionEdit'));

/** Support actions as cards, each with its status change when the caller may move it. */
export function ActionList({ items, showCase, label }: { items: Schemas['SupportAction'][]; showCase: boolean; label: string }) {
  return (
    <Stack component="ul" gap="xs" aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((a) => (
        <li key={a.id}>
          <ActionCard a={a} showCase={showCase} />
        </li>
      ))}
    </Stack>
  );
}

function ActionCard({ a, showCase }: { a: Schemas['SupportAction']; showCase: boolean }) {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const assignee = a.assignee_user_name ?? a.assignee_partner_name;
  const me = useMe();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const role = me.data?.role;
  const mayEdit = role === 'admin' || role === 'coordinator' || role === 'observer';
  const title = label('support_action_types', a.type);
  return (
    <Card withBorder padding="xs">
      <Group gap="xs" wrap="wrap">
        <Badge>{label('support_action_statuses', a.status)}</Badge>
        {a.overdue && <Badge color="red" variant="filled">{t('support.overdue')}</Badge>}
        {a.confidential && (
          <Badge color="red" variant="light" title={t('support.confidentialHint')}>
            {t('common.confidential')}
          </Badge>
        )}
        {a.priority !== 'normal' && (
          <Badge color={a.priority === 'urgent' || a.priority === 'high' ? 'yellow' : 'gray'} variant="light">
            {label('support_priorities', a.priority)}
          </Badge>
        )}
        <Text fw={600} component="span">
          {label('support_action_types', a.type)}
        </Text>
      </Group>
      {showCase && (
        <Anchor component={Link} to={`/cases/${a.case_id}`} size="sm">
          {a.detainee_name ?? t('support.caseLink')}
        </Anchor>
      )}
      {a.addressee && <Text size="sm">{t('support.addressee')}: <bdi>{a.addressee}</bdi></Text>}
      {a.description && (
        <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
          {a.description}
        </Text>
      )}
      <Text size="sm" c="dimmed">
        {[
          assignee ? t('support.assignedTo', { name: assignee }) : t('support.unassigned'),
          a.requested_at ? t('support.requested', { date: formatPartialDate(a.requested_at) }) : '',
          a.due_at ? t('support.dueOn', { date: formatPartialDate(a.due_at) }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
      {a.response && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {t('support.response')}: {a.response}
        </Text>
      )}
      {a.impact && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {t('support.impact')}: {a.impact}
        </Text>
      )}
      {a.amount && a.currency && (
        <Text size="sm">
          {t('support.amount')}: {a.amount} {a.currency}
        </Text>
      )}
      <Group gap="xs" align="end" wrap="wrap">
        {nextStatuses(a).length > 0 && <StatusChange key={a.version} a={a} />}
        {mayEdit && role && (
          <Button size="xs" variant="default" mt={6} onClick={() => setEditing(true)} aria-label={t('support.editOf', { title, addressee: a.addressee })}>
            {t('support.edit')}
          </Button>
        )}
      </Group>
      {mayEdit && role && (
        <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing} onClose={() => setEditing(false)} title={t('support.editTitle')} size="lg">
          {editing && (
            <Suspense fallback={<Loading />}>
              <ActionEdit a={a} role={role} me={me.data} onSaved={() => setEditing(false)} onReload={() => void qc.invalidateQueries()} />
            </Suspense>
          )}
        </Modal>
      )}
    </Card>
  );
}

/** Moves an action along its workflow: PATCH with If-Match; 409 (invalid transition, assignee required) shown as such. */
function StatusChange({ a }: { a: Schemas['SupportAction'] }) {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const [to, setTo] = useState<string | null>(null);
  const move = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/support-actions/{id}', {
          params: { path: { id: a.id }, header: { 'If-Match': `"${a.version}"` } },
          body: { status: to as Schemas['SupportActionStatus'] },
        }),
      ),
  });
  const conflict = move.error instanceof HttpError && move.error.status === 409;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (to) move.mutate();
      }}
    >
      <Group gap="xs" mt={6} align="end" wrap="wrap">
        <Select
          size="xs"
          label={t('support.moveTo')}
          data={nextStatuses(a).map((s) => ({ value: s, label: label('support_action_statuses', s) }))}
          value={to}
          onChange={setTo}
          w={200}
        />
        <Button size="xs" type="submit" disabled={!to} loading={move.isPending}>
          {t('support.move')}
        </Button>
      </Group>
      {conflict ? (
        <Text size="sm" c="red.9" role="alert" mt={4}>
          {move.error instanceof HttpError && move.error.body?.code === 'assignee_required' ? t('support.assigneeRequired') : t('support.invalidTransition', { from: label('support_action_statuses', a.status), to: label('support_action_statuses', to) })}
        </Text>
      ) : (
        <ErrorText error={move.error} />
      )}
    </form>
  );
}
