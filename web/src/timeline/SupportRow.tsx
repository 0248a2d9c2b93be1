import { useId, useState } from 'react';
import { Badge, Button, Card, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { formatDateTime } from '../format';

type Item = Schemas['TimelineItem'];
type Group = Schemas['SupportTimelineItem'];

/**
 * The items of the loaded pages without a repeat: the server sends one item per support action, placed where it
 * never moves, so a repeat should not happen; if the same (kind, id) still came twice (a page fetched again after
 * the data changed), the later copy, the fresher, replaces the earlier in its place.
 */
export function uniqueItems(items: Item[]): Item[] {
  const at = new Map<string, number>();
  const out: Item[] = [];
  for (const it of items) {
    const k = `${it.kind}:${it.id}`;
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(it);
    } else {
      out[i] = it;
    }
  }
  return out;
}

/** One support action on the case timeline: its current status, since when, and its history folded (expand to read). */
export function SupportRow({ g }: { g: Group }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const status = (s: string) => t(`vocab.support_action_statuses.${s}`, { defaultValue: s });
  // In the reader's language from the type and addressee (the server's `title` is English).
  const title = [t(`vocab.support_action_types.${g.type}`, { defaultValue: g.type }), g.addressee].filter(Boolean).join(' — ');
  return (
    <li>
      <Card withBorder padding="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} component="span">
            {formatDateTime(g.started_at)}
          </Text>
          <Badge variant="light" color="gray">
            {t('timeline.kinds.support_action')}
          </Badge>
          <Badge variant="outline">{t('timelineView.supportNow', { status: status(g.status) })}</Badge>
          {g.confidential && (
            <Badge color="red" variant="light">
              {t('common.confidential')}
            </Badge>
          )}
        </Group>
        <Text fw={500} dir="auto">
          {title}
        </Text>
        <Text size="sm" c="dimmed">
          {t('timelineView.supportSince', { date: formatDateTime(g.at) })} · {t('timelineView.changes', { count: g.changes.length })}
        </Text>
        {g.changes.length > 0 && (
          <>
            <Button
              size="compact-sm"
              variant="default"
              mt={4}
              aria-expanded={open}
              aria-controls={listId}
              onClick={() => setOpen((o) => !o)}
              aria-label={`${t('timelineView.changes', { count: g.changes.length })} — ${t(open ? 'timelineView.hideChanges' : 'timelineView.showChanges', { title })}`}
            >
              {t('timelineView.changes', { count: g.changes.length })}
              <span aria-hidden="true">&nbsp;{open ? '▴' : '▾'}</span>
            </Button>
            <ol id={listId} hidden={!open} style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {g.changes.map((c) => (
                <li key={c.change_id}>
                  <Text size="sm" component="span">
                    {c.from_status
                      ? t('timelineView.changeFrom', { from: status(c.from_status), status: status(c.status), date: formatDateTime(c.at) })
                      : t('timelineView.change', { status: status(c.status), date: formatDateTime(c.at) })}
                    {c.changed_by_name ? ` · ${t('timelineView.by', { name: c.changed_by_name })}` : ''}
                  </Text>
                </li>
              ))}
            </ol>
          </>
        )}
      </Card>
    </li>
  );
}
