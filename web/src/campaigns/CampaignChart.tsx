import { useId } from 'react';
import { Card, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';

type Month = Schemas['CampaignSummary']['months'][number];

/** The series drawn, each with its colour (contrast 4.5:1 or more on white) and dash for those who cannot tell them apart. */
const series = [
  { key: 'in_custody', colour: '#1864ab', dash: '' },
  { key: 'detained', colour: '#c92a2a', dash: '6 3' },
  { key: 'released', colour: '#2b8a3e', dash: '2 3' },
  { key: 'events', colour: '#5f3dc4', dash: '10 4 2 4' },
] as const;

const labelKey: Record<(typeof series)[number]['key'], string> = {
  in_custody: 'campaigns.inCustody',
  detained: 'campaigns.detained',
  released: 'campaigns.released',
  events: 'campaigns.events',
};

/**
 * The campaign's counts over time: a small hand-written SVG line chart (no chart library: it would weigh more than
 * the rest of the page), with a title and a description, and below it the same numbers as a table (scrollable,
 * focusable) for screen readers and keyboards.
 */
export default function CampaignChart({ months, capped }: { months: Month[]; capped: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const W = 720;
  const H = 240;
  const pad = { l: 40, r: 12, t: 12, b: 28 };
  const max = Math.max(1, ...months.flatMap((m) => series.map((s) => m[s.key])));
  const x = (i: number) => pad.l + (months.length <= 1 ? 0 : (i * (W - pad.l - pad.r)) / (months.length - 1));
  const y = (v: number) => H - pad.b - (v * (H - pad.t - pad.b)) / max;
  const first = months[0]?.month ?? '';
  const last = months[months.length - 1]?.month ?? '';
  // About six labels on the time axis, always the first and the last month.
  const step = Math.max(1, Math.ceil(months.length / 6));
  const ticks = [0, Math.round(max / 2), max];
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`} data-testid="campaign-chart">
      <Title order={3} size="h4" id={`${id}-title`}>
        {t('campaigns.chartTitle')}
      </Title>
      <Text size="sm" c="dimmed" id={`${id}-desc`} mb="xs">
        {t('campaigns.chartDesc', { from: first, to: last })} {capped && t('campaigns.chartCapped', { count: months.length })}
      </Text>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-svgtitle`} aria-describedby={`${id}-desc`} style={{ maxHeight: 280 }}>
        <title id={`${id}-svgtitle`}>{t('campaigns.chartTitle')}</title>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#dee2e6" />
            <text x={pad.l - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#495057">
              {v}
            </text>
          </g>
        ))}
        {months.map((m, i) =>
          i % step === 0 || i === months.length - 1 ? (
            <text key={m.month} x={x(i)} y={H - 8} fontSize="11" textAnchor="middle" fill="#495057">
              {m.month}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.colour}
            strokeWidth={2}
            strokeDasharray={s.dash || undefined}
            points={months.map((m, i) => `${x(i)},${y(m[s.key])}`).join(' ')}
          />
        ))}
      </svg>
      <ul aria-hidden style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', listStyle: 'none', padding: 0, margin: '0.25rem 0' }}>
        {series.map((s) => (
          <li key={s.key} style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 13 }}>
            <svg width="28" height="8" aria-hidden>
              <line x1="0" x2="28" y1="4" y2="4" stroke={s.colour} strokeWidth="2" strokeDasharray={s.dash || undefined} />
            </svg>
            {t(labelKey[s.key])}
          </li>
        ))}
      </ul>
      <div>
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0} mah={320}>
          <Table striped data-testid="campaign-chart-table">
            <Table.Caption>{t('campaigns.chartTitle')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('campaigns.month')}</Table.Th>
                {series.map((s) => (
                  <Table.Th scope="col" key={s.key}>
                    {t(labelKey[s.key])}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {months.map((m) => (
                <Table.Tr key={m.month}>
                  <Table.Th scope="row">{m.month}</Table.Th>
                  {series.map((s) => (
                    <Table.Td key={s.key}>{m[s.key]}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
    </Card>
  );
}
