import type { TFunction } from 'i18next';

/**
 * Stable codes the API sends (audit actions and object types, time-limit start events), named in the reader's
 * language. The key of each is `codes.<list>.<code>` (dots of an audit action as `_`); src/i18n/codes.test.ts
 * checks that both languages name every code api/openapi.yaml enumerates.
 */
export const codeKeys = {
  auditAction: (a: string) => `codes.auditActions.${a.replace(/\./g, '_')}`,
  auditObject: (o: string) => `codes.auditObjects.${o}`,
  startEvent: (e: string) => `codes.startEvents.${e}`,
};

/** An audit action's name ("Case read"); the code itself when it is unknown to this client. */
export function auditActionLabel(t: TFunction, a: string): string {
  return t(codeKeys.auditAction(a), { defaultValue: a });
}

/** An audit entry's object type ("Custody period"); the code itself when unknown. */
export function auditObjectLabel(t: TFunction, o: string): string {
  return o ? t(codeKeys.auditObject(o), { defaultValue: o }) : '';
}

/** The key date or event a time limit counts from ("criminal detention"); the code itself when unknown. */
export function startEventLabel(t: TFunction, e: string): string {
  return t(codeKeys.startEvent(e), { defaultValue: e });
}
