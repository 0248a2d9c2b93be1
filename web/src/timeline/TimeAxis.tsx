import { useMemo, useRef, useState } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { formatPartialDate } from '../format';
import { axisRange, itemMarks, lanes, periodMarks, ticks, type Lane, type Mark } from './axis';

type Item = Schemas['TimelineItem'];

const laneHeight = 46;
const top = 8;
const axisHeight = 28;
const side = 10;

const colour: Record<Lane, string> = {
  custody: 'var(--mantine-color-orange-9)',
  key_date: 'var(--mantine-color-teal-9)',
  event: 'var(--mantine-color-blue-8)',
  hearing: 'var(--mantine-color-violet-8)',
  support_action: 'var(--mantine-color-gray-7)',
};

/**
 * The timeline drawn on a horizontal time axis (plain SVG): lanes for custody periods, key dates, events, hearings
 * and support actions; a partial date is a bar over its month or year (dashed when approximate), an obstacle a red
 * triangle, a support action a bar from its first to its latest change, an ongoing custody period runs to today.
 * Accessibility: every mark is focusable (one Tab stop, then arrow keys / Home / End; roving tabindex) with its label
 * as its accessible name, and the focused or tapped mark's label is written under the chart (aria-live), so the
 * chart can be read without sight; the list view remains the full equivalent with every detail.
 */
export function TimeAxis({ caseId, items, labelOf }: { caseId: string; items: Item[]; labelOf: (it: Item) => string }) {
  const { t, i18n } = useTranslation();
  const { label } = useVocab();
  const { ref, width: measured } = useElementSize();
  const width = Math.max(measured || 640, 300);
  const periods = useQuery({
    queryKey: ['custody-periods', caseId, 'axis'],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/custody-periods', { params: { path: { id: caseId }, query: { limit: 100 } } })).items,
  });
  const marks = useMemo(() => {
    const fromPeriods = periodMarks(
      (periods.data ?? []).map((p) => ({
        id: p.id,
        started_at: p.started_at,
        ended_at: p.ended_at,
        label: `${t('timelineView.lanes.custody')}: ${t('timelineView.custodyPeriod', {
          measure: label('custody_measures', p.measure),
          from: formatPartialDate(p.started_at),
          to: p.ended_at ? formatPartialDate(p.ended_at) : t('timelineView.ongoing'),
        })}`,
      })),
      Date.now(),
    );
    return [...fromPeriods, ...itemMarks(items, labelOf)];
  }, [periods.data, items, labelOf, label, t]);
  const [active, setActive] = useState(0);
  const [shownLabel, setShownLabel] = useState('');
  const refs = useRef<(SVGGElement | null)[]>([]);
  const range = axisRange(marks);
  const usedLanes = lanes.filter((l) => marks.some((m) => m.lane === l));
  if (!range) {
    return (
      <Text size="sm" c="dimmed" ref={ref}>
        {t('timelineView.axisNothing')}
      </Text>
    );
  }
  const x = (ms: number) => side + ((ms - range.from) / (range.to - range.from)) * (width - 2 * side);
  const laneY = (l: Lane) => top + usedLanes.indexOf(l) * laneHeight;
  const height = top + usedLanes.length * laneHeight + axisHeight;
  const tk = ticks(range.from, range.to, Math.max(2, Math.floor(width / 80)));
  const fmt = (ms: number, unit: 'year' | 'month' | 'day') =>
    new Intl.DateTimeFormat(i18n.language, unit === 'year' ? { year: 'numeric', timeZone: 'UTC' } : unit === 'month' ? { year: 'numeric', month: 'short', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(ms);
  const order = [...marks].sort((a, b) => a.start - b.start || lanes.indexOf(a.lane) - lanes.indexOf(b.lane));
  const focus = (i: number) => {
    const j = Math.max(0, Math.min(order.length - 1, i));
    setActive(j);
    refs.current[j]?.focus();
  };
  const describe = (m: Mark) => [m.label, m.approximate ? t('timelineView.approxMark') : '', m.obstacle ? t('timelineView.obstacleMark') : ''].filter(Boolean).join(' · ');
  return (
    <Box ref={ref}>
      <Text size="sm" c="dimmed" mb={4} id={`axis-hint-${caseId}`}>
        {t('timelineView.axisHint')}
      </Text>
      <svg
        width={width}
        height={height}
        role="group"
        aria-label={t('timelineView.axisTitle')}
        aria-describedby={`axis-hint-${caseId}`}
        style={{ display: 'block', maxWidth: '100%', overflow: 'visible' }}
        onKeyDown={(e) => {
          const keys: Record<string, number> = { ArrowRight: active + 1, ArrowDown: active + 1, ArrowLeft: active - 1, ArrowUp: active - 1, Home: 0, End: order.length - 1 };
          const to = keys[e.key];
          if (to !== undefined) {
            e.preventDefault();
            focus(to);
          }
        }}
      >
        {usedLanes.map((l) => (
          <g key={l} aria-hidden="true">
            <line x1={0} x2={width} y1={laneY(l) + laneHeight - 2} y2={laneY(l) + laneHeight - 2} stroke="var(--mantine-color-gray-3)" />
            <text x={2} y={laneY(l) + 11} fontSize={12} fill="var(--mantine-color-gray-8)">
              {t(`timelineView.lanes.${l}`)}
            </text>
          </g>
        ))}
        <g aria-hidden="true">
          {tk.map((k) => (
            <g key={k.at}>
              <line x1={x(k.at)} x2={x(k.at)} y1={top} y2={height - axisHeight + 4} stroke="var(--mantine-color-gray-3)" strokeDasharray="2 3" />
              <text x={x(k.at)} y={height - 8} fontSize={11} textAnchor="middle" fill="var(--mantine-color-gray-8)">
                {fmt(k.at, k.unit)}
              </text>
            </g>
          ))}
        </g>
        {order.map((m, i) => {
          const y = laneY(m.lane) + 28;
          const x1 = x(m.start);
          const x2 = Math.max(x(m.end), x1 + 3);
          const c = m.obstacle ? 'var(--mantine-color-red-8)' : colour[m.lane];
          const point = m.end - m.start < 86_400_000 && !m.partial;
          return (
            <g
              key={m.key}
              ref={(el) => {
                refs.current[i] = el;
              }}
              tabIndex={i === active ? 0 : -1}
              role="img"
              aria-label={describe(m)}
              data-mark={m.key}
              onFocus={() => {
                setActive(i);
                setShownLabel(describe(m));
              }}
              onClick={() => focus(i)}
              style={{ cursor: 'pointer', outline: 'none' }}
              className="axis-mark"
            >
              {/* A larger transparent target for fingers. */}
              <rect x={x1 - 8} y={y - 12} width={x2 - x1 + 16} height={24} fill="transparent" />
              {point ? (
                m.obstacle ? (
                  <polygon points={`${x1},${y - 8} ${x1 - 7},${y + 6} ${x1 + 7},${y + 6}`} fill={c} />
                ) : (
                  <circle cx={x1} cy={y} r={6} fill={c} />
                )
              ) : (
                <>
                  <rect
                    x={x1}
                    y={y - 5}
                    width={x2 - x1}
                    height={10}
                    rx={3}
                    fill={m.partial || m.approximate ? 'white' : c}
                    fillOpacity={m.lane === 'custody' ? 0.85 : 1}
                    stroke={c}
                    strokeWidth={2}
                    strokeDasharray={m.approximate ? '4 3' : undefined}
                  />
                  {m.obstacle && <polygon points={`${x1},${y - 12} ${x1 - 6},${y - 2} ${x1 + 6},${y - 2}`} fill="var(--mantine-color-red-8)" />}
                  {m.ongoing && <polygon points={`${x2},${y - 7} ${x2 + 7},${y} ${x2},${y + 7}`} fill={c} />}
                </>
              )}
              {i === active && shownLabel && <rect x={x1 - 10} y={y - 14} width={x2 - x1 + 20} height={28} rx={4} fill="none" stroke="var(--mantine-color-blue-9)" strokeWidth={2} />}
            </g>
          );
        })}
      </svg>
      <Text size="sm" mt={4} aria-live="polite" dir="auto" data-testid="axis-focused">
        {shownLabel || t('timelineView.focusPrompt')}
      </Text>
      <Group gap="md" mt={4} aria-hidden="true">
        <Group gap={4}>
          <svg width={14} height={14}>
            <polygon points="7,1 1,13 13,13" fill="var(--mantine-color-red-8)" />
          </svg>
          <Text size="xs">{t('timelineView.legendObstacle')}</Text>
        </Group>
        <Group gap={4}>
          <svg width={22} height={12}>
            <rect x={1} y={1} width={20} height={10} rx={3} fill="white" stroke="var(--mantine-color-gray-7)" strokeWidth={2} strokeDasharray="4 3" />
          </svg>
          <Text size="xs">{t('timelineView.legendApprox')}</Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('timelineView.axisLoaded', { count: items.length })}
      </Text>
    </Box>
  );
}
