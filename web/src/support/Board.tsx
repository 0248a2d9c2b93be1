import { lazy, Suspense, useState } from 'react';
import { Anchor, Badge, Box, Button, Card, Group, Menu, Modal, Select, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, HttpError, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/hooks';
import { usePaged } from '../api/paged';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { Loading, QueryState } from '../components/States';
import { formatPartialDate } from '../format';
import { boardColumns, moveRefusal, nextStep, otherSteps } from './board';
import { boardQuery, filtersFromSearch, filtersToSearch, type BoardFilters } from './query';
import { useSupportVocab } from './vocab';

const ActionEdit = lazy(() => import('./ActionEdit'));

type Action = Schemas['SupportAction'];
type Status = Schemas['SupportActionStatus'];

/** Cards a column loads at a time ("load more" adds as many). */
export const columnPage = 10;

async function fetchColumn(f: BoardFilters, status: Status, cursor?: string): Promise<Schemas['SupportActionPage']> {
  const q = boardQuery({ ...f, status }, cursor, columnPage);
  return q.path === '/api/v1/me/support-actions'
    ? unwrap(await api.GET('/api/v1/me/support-actions', { params: { query: q.query } }))
    : unwrap(await api.GET('/api/v1/support-actions', { params: { query: q.query } }));
}

/** The support board page: the filters (my work, type, overdue, the column shown on a phone) in the URL, the board. */
export default function SupportBoardPage() {
  const wide = useMediaQuery('(min-width: 62em)', undefined, { getInitialValueInEffect: false }) ?? false;
  return <Board wide={wide} />;
}

/**
 * The board: one column per status in the workflow's order (from the server's vocabulary), each a list of cards
 * paged on its own (`status` filter + cursor, 10 a page). Wide screens show every column side by side (scrolling
 * sideways when they do not fit); a phone shows one column at a time, picked with the column picker (`status` in
 * the URL). A wide screen with a `status` in the URL shows that column only, with a way back to all.
 */
export function Board({ wide }: { wide: boolean }) {
  const { t } = useTranslation();
  const { label, options } = useSupportVocab();
  const vocab = useQuery({
    queryKey: ['support-vocabularies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/support-vocabularies')),
    staleTime: Infinity,
  });
  const [sp, setSp] = useSearchParams();
  const f = filtersFromSearch(sp);
  const set = (patch: Partial<BoardFilters>) => setSp(filtersToSearch({ ...f, ...patch }), { replace: true });
  const order = boardColumns(vocab.data?.support_action_statuses);
  const picked = f.status ?? (wide ? undefined : order[0]);
  const shown = picked ? order.filter((s) => s === picked) : order;
  const scope = { ...f, status: undefined };
  const summary = useQuery({
    queryKey: ['support', 'board-summary', scope],
    queryFn: async () => {
      const q = boardQuery(scope, undefined, 1);
      return q.path === '/api/v1/me/support-actions'
        ? unwrap(await api.GET('/api/v1/me/support-actions', { params: { query: q.query } })).summary
        : unwrap(await api.GET('/api/v1/support-actions', { params: { query: q.query } })).summary;
    },
  });
  return (
    <>
      <Title order={2} mb="md">
        {t('support.board')}
      </Title>
      <Group align="end" mb="md" wrap="wrap">
        <SegmentedControl
          value={f.mine ? 'mine' : 'all'}
          onChange={(v) => set({ mine: v === 'mine' })}
          data={[
            { value: 'all', label: t('support.all') },
            { value: 'mine', label: t('support.myWork') },
          ]}
          aria-label={t('support.scope')}
        />
        <Select label={t('support.type')} clearable data={options('support_action_types')} value={f.type ?? null} onChange={(v) => set({ type: (v ?? undefined) as BoardFilters['type'] })} w={260} />
        <Select
          label={t('support.overdueFilter')}
          clearable
          data={[
            { value: 'true', label: t('support.onlyOverdue') },
            { value: 'false', label: t('support.notOverdue') },
          ]}
          value={f.overdue ?? null}
          onChange={(v) => set({ overdue: (v ?? undefined) as BoardFilters['overdue'] })}
          w={200}
        />
        <Select
          label={t('supportBoard.column')}
          data={[
            ...(wide ? [{ value: '', label: t('supportBoard.allColumns') }] : []),
            ...order.map((s) => ({ value: s, label: `${label('support_action_statuses', s)}${summary.data ? ` (${summary.data.by_status[s] ?? 0})` : ''}` })),
          ]}
          value={picked ?? ''}
          onChange={(v) => set({ status: (v || undefined) as BoardFilters['status'] })}
          allowDeselect={false}
          w={wide ? 240 : '100%'}
        />
      </Group>
      {summary.data && (
        <Text size="sm" mb="sm">
          {t('support.summary', { total: summary.data.total, overdue: summary.data.overdue })}
        </Text>
      )}
      <QueryState isLoading={vocab.isLoading} error={vocab.error} empty={order.length === 0} emptyText={t('support.noneBoard')}>
        <Box
          style={wide ? { display: 'flex', gap: 'var(--mantine-spacing-sm)', overflowX: 'auto', alignItems: 'flex-start', paddingBottom: 8 } : undefined}
          tabIndex={wide && shown.length > 4 ? 0 : undefined}
          aria-label={wide && shown.length > 4 ? t('supportBoard.columnsRegion') : undefined}
          role={wide && shown.length > 4 ? 'region' : undefined}
        >
          {shown.map((s) => (
            <Column key={s} status={s} filters={f} order={order} wide={wide} />
          ))}
        </Box>
      </QueryState>
    </>
  );
}

/** One status: its heading with the count, its cards as a list, load more. */
function Column({ status, filters, order, wide }: { status: Status; filters: BoardFilters; order: Status[]; wide: boolean }) {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const list = usePaged(['support', 'board', filters, status], (cursor) => fetchColumn(filters, status, cursor));
  const headingId = `board-col-${status}`;
  const total = list.data?.pages[0]?.total;
  return (
    <Box component="section" aria-labelledby={headingId} style={wide ? { flex: '0 0 260px', minWidth: 260 } : undefined} data-column={status}>
      <Card withBorder padding="xs" bg="var(--mantine-color-gray-0)">
        <Title order={3} size="h5" id={headingId} mb="xs">
          {label('support_action_statuses', status)}
          {total !== undefined && (
            <Text component="span" size="sm" c="dimmed" ml={6}>
              ({total})
            </Text>
          )}
        </Title>
        <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('supportBoard.emptyColumn')}>
          <Stack component="ul" gap="xs" aria-labelledby={headingId} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {list.items.map((a) => (
              <li key={a.id}>
                <BoardCard a={a} order={order} />
              </li>
            ))}
          </Stack>
          <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </QueryState>
      </Card>
    </Box>
  );
}

/** One action on the board: title, case, assignee, due date, the one-tap next step and the other allowed moves. */
export function BoardCard({ a, order }: { a: Action; order: Status[] }) {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const qc = useQueryClient();
  const me = useMe();
  const [editing, setEditing] = useState(false);
  const [to, setTo] = useState<Status | null>(null);
  const title = [label('support_action_types', a.type), a.addressee].filter(Boolean).join(' — ');
  const assignee = a.assignee_user_name ?? a.assignee_partner_name;
  const role = me.data?.role;
  const mayEdit = role === 'admin' || role === 'coordinator' || role === 'observer';
  const move = useMutation({
    mutationFn: async (target: Status) => {
      setTo(target);
      return unwrap(
        await api.PATCH('/api/v1/support-actions/{id}', {
          params: { path: { id: a.id }, header: { 'If-Match': `"${a.version}"` } },
          body: { status: target },
        }),
      );
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['support'] }),
  });
  const err = move.error instanceof HttpError ? move.error : undefined;
  const refusal = moveRefusal(err?.status, err?.body?.code);
  const next = nextStep(a, order);
  const others = otherSteps(a, order);
  const nextLabel = next ? label('support_action_statuses', next) : '';
  return (
    <Card withBorder padding="xs" data-action={a.id}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Anchor component={Link} to={`/cases/${a.case_id}`} size="sm">
        {a.detainee_name ?? t('support.caseLink')}
      </Anchor>
      <Text size="sm" c="dimmed">
        {assignee ? t('support.assignedTo', { name: assignee }) : t('support.unassigned')}
      </Text>
      <Group gap={6} wrap="wrap">
        {a.due_at && <Text size="sm">{t('support.dueOn', { date: formatPartialDate(a.due_at) })}</Text>}
        {a.overdue && (
          <Badge color="red" variant="filled" size="sm">
            {t('support.overdue')}
          </Badge>
        )}
        {a.confidential && (
          <Badge color="red" variant="light" size="sm" title={t('support.confidentialHint')}>
            {t('common.confidential')}
          </Badge>
        )}
        {a.priority !== 'normal' && (
          <Badge color={a.priority === 'urgent' || a.priority === 'high' ? 'yellow' : 'gray'} variant="light" size="sm">
            {label('support_priorities', a.priority)}
          </Badge>
        )}
      </Group>
      {(next || others.length > 0 || mayEdit) && (
        <Group gap={6} mt={6} wrap="wrap">
          {next && (
            <Button size="compact-sm" loading={move.isPending && to === next} onClick={() => move.mutate(next)} aria-label={t('supportBoard.moveTo', { title, status: nextLabel })}>
              <span aria-hidden="true">→&nbsp;</span>
              {nextLabel}
            </Button>
          )}
          {others.length > 0 && (
            <Menu position="bottom-start" withinPortal>
              <Menu.Target>
                <Button size="compact-sm" variant="default" aria-label={t('supportBoard.otherMovesOf', { title })}>
                  {t('supportBoard.otherMoves')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {others.map((s) => (
                  <Menu.Item key={s} onClick={() => move.mutate(s)}>
                    {t('supportBoard.moveToShort', { status: label('support_action_statuses', s) })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
          {mayEdit && (
            <Button size="compact-sm" variant="subtle" onClick={() => setEditing(true)} aria-label={t('support.editOf', { title, addressee: '' })}>
              {t('support.edit')}
            </Button>
          )}
        </Group>
      )}
      <div aria-live="polite">
        {refusal ? (
          <Text size="sm" mt={4}>
            {refusal === 'assignee_required'
              ? t('support.assigneeRequired')
              : refusal === 'changed'
                ? t('supportBoard.changedMeanwhile')
                : t('support.invalidTransition', { from: label('support_action_statuses', a.status), to: label('support_action_statuses', to) })}{' '}
            {refusal !== 'assignee_required' && (
              <Anchor component="button" type="button" size="sm" onClick={() => void qc.invalidateQueries({ queryKey: ['support'] })}>
                {t('supportBoard.refresh')}
              </Anchor>
            )}
          </Text>
        ) : (
          <ErrorText error={move.error} />
        )}
      </div>
      {mayEdit && role && (
        <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing} onClose={() => setEditing(false)} title={t('support.editTitle')} size="lg">
          {editing && (
            <Suspense fallback={<Loading />}>
              <ActionEdit
                a={a}
                role={role}
                me={me.data}
                onSaved={() => {
                  setEditing(false);
                  void qc.invalidateQueries({ queryKey: ['support'] });
                }}
                onReload={() => void qc.invalidateQueries()}
              />
            </Suspense>
          )}
        </Modal>
      )}
    </Card>
  );
}
