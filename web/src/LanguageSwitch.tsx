import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { setLanguage, type Language } from './i18n';

/** English / 中文 switch (in the header and on the sign-in page; kept out of Layout so the sign-in page's
 * chunk does not pull in the router and the signed-in layout, issue 24). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('nav.language')}
      value={i18n.language}
      onChange={(v) => {
        // The other language's resources are fetched on the first switch. Texts the server writes
        // (time-limit titles and notes, release derivations) follow Accept-Language: refetch once switched.
        // A failed fetch of the texts (offline) leaves everything in the old language, the switch included
        // (its value is i18n's): nothing to undo, and nothing stored.
        setLanguage(v as Language).then(
          () => qc.invalidateQueries(),
          () => {},
        );
      }}
      data={[
        { value: 'en', label: 'English' },
        { value: 'zh-Hans', label: '中文' },
      ]}
    />
  );
}
