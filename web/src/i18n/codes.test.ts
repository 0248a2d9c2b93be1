import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import en from './en.json';
import zh from './zh-Hans.json';
import { codeKeys } from './codes';

type Tree = { [k: string]: string | Tree };
type Schema = { enum?: unknown[]; properties?: Record<string, Schema>; items?: Schema };

const spec = load(readFileSync(join(__dirname, '../../../api/openapi.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };

/** Every enum of the API description's schemas, by "Schema.property" (or "Schema" for a bare enum). */
function enums(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, s] of Object.entries(spec.components.schemas)) {
    if (s.enum) out.set(name, s.enum.map(String));
    for (const [prop, p] of Object.entries(s.properties ?? {})) {
      const e = p.enum ?? p.items?.enum;
      if (e) out.set(`${name}.${prop}`, e.map(String));
    }
  }
  return out;
}

/** Where the web names the codes of each enum shown to users: the key of a code. */
const shown: Record<string, (code: string) => string> = {
  'AuditEntry.action': codeKeys.auditAction,
  'AuditEntry.object_type': codeKeys.auditObject,
  'AuditEntry.outcome': (c) => `audit.outcomes.${c}`,
  'CustodyEntry.outcome': (c) => `audit.outcomes.${c}`,
  'Deadline.start_event': codeKeys.startEvent,
  'Deadline.status': (c) => `deadlines.status.${c}`,
  'TimelineItem.kind': (c) => `timeline.kinds.${c}`,
  'SupportTimelineItem.kind': (c) => `timeline.kinds.${c}`,
  'EventRevision.change': (c) => `timeline.changes.${c}`,
  'EventInput.source_reliability': (c) => `vocab.source_reliability.${c}`,
  'EventInput.information_credibility': (c) => `vocab.information_credibility.${c}`,
  'Hearing.type': (c) => `vocab.hearing_types.${c}`,
  'HearingInput.type': (c) => `vocab.hearing_types.${c}`,
  'Hearing.status': (c) => `vocab.hearing_statuses.${c}`,
  'HearingInput.status': (c) => `vocab.hearing_statuses.${c}`,
  'EvidenceUpload.kind': (c) => `evidence.kinds.${c}`,
  Role: (c) => `roles.${c}`,
  'SignInEvent.kind': (c) => `signInActivity.kinds.${c}`,
  'SignInEvent.scope': (c) => `signInActivity.scopes.${c}`,
  SupportActionType: (c) => `vocab.support_action_types.${c}`,
  SupportActionStatus: (c) => `vocab.support_action_statuses.${c}`,
  SupportPriority: (c) => `vocab.support_priorities.${c}`,
  PartnerKind: (c) => `vocab.partner_kinds.${c}`,
  FieldCode: (c) => `fieldErrors.codes.${c}`,
  'UNCommunication.kind': (c) => `vocab.un_communication_kinds.${c}`,
  'Relative.relation': (c) => `vocab.relations.${c}`,
  'Consent.kind': (c) => `vocab.relative_consent_kinds.${c}`,
  'Consent.status': (c) => `relatives.state.${c}`,
  ConsentState: (c) => `relatives.state.${c}`,
  'CaseDetainee.role': (c) => `vocab.case_detainee_roles.${c}`,
  'CaseDetaineeInput.role': (c) => `vocab.case_detainee_roles.${c}`,
  'CaseDetaineeUpdate.role': (c) => `vocab.case_detainee_roles.${c}`,
  'CoDefendantCase.role': (c) => `vocab.case_detainee_roles.${c}`,
  'ConsentInput.status': (c) => `relatives.state.${c}`,
  'CaseLink.kind': (c) => `caseLinks.kinds.${c}`,
  'CaseLinkInput.kind': (c) => `caseLinks.kinds.${c}`,
  'CaseLinkCreate.kind': (c) => `caseLinks.kinds.${c}`,
  'CaseExportLink.kind': (c) => `caseLinks.kinds.${c}`,
  NotificationRule: (c) => `notifications.ruleName.${c}`,
  'NotificationSettingsInput.email_mode': (c) => `notifications.mode.${c}`,
  JobState: (c) => `jobs.states.${c}`,
};

/** Enums never shown as text, or shown through other words (with the reason). */
const notShown: Record<string, string> = {
  'Deadline.rule': 'the server sends the title and article in the reader language (Accept-Language)',
  'EventState.precision': 'shown as a date at that precision',
  'TimelineItem.precision': 'shown as a date; year and month only add a badge (timeline.precision)',
  'Evidence.status': 'deleted and purged items are shown by badges of their own',
  'Evidence.integrity': 'a failed check is a badge (evidence.integrityFailed)',
  'CaseExport.schema': 'a file format version, never shown (docs/case-export.md)',
  'TokenResponse.state': 'sign-in protocol',
  'TokenResponse.mfa_methods': 'sign-in protocol: each method has its own button',
  'TokenResponse.token_type': 'protocol',
  'TOTPConfirmation.state': 'protocol',
  'TOTPConfirmation.token_type': 'protocol',
  'PasskeyRegistration.state': 'protocol',
  'PasskeyRegistration.token_type': 'protocol',
  'Status.status': 'health check',
  'CheckResult.status': 'health check',
  'Readiness.status': 'health check',
  'Release.status': 'the two lists have titles of their own (releases.expected, releases.passed)',
  'ImportResult.on_error': 'chosen with labelled buttons',
  'CaseLink.direction': 'shown through the label of the kind read from the case (caseLinks.labels)',
  'CaseExportLink.direction': 'a file field, never shown (docs/case-export.md)',
  'Notification.object_type': 'the item links to its object; its sentence comes from the rule (notifications.rule)',
  'NotificationSettingsInput.language': 'each language named in its own words (English, 中文)',
};

function has(t: Tree, key: string): boolean {
  let n: string | Tree | undefined = t;
  for (const part of key.split('.')) {
    if (typeof n !== 'object') return false;
    n = n[part];
  }
  return typeof n === 'string' && n.trim() !== '';
}

/** The keys missing in a language for the enums of the API description. */
export function missingKeys(t: Tree, all: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [where, keyOf] of Object.entries(shown)) {
    for (const code of all.get(where) ?? []) {
      if (code === '') continue; // "none"
      if (!has(t, keyOf(code))) out.push(`${where} ${JSON.stringify(code)} -> ${keyOf(code)}`);
    }
  }
  return out;
}

describe('API codes shown to users', () => {
  const all = enums();

  it('reads the enums of api/openapi.yaml', () => {
    expect(all.get('AuditEntry.action')?.length).toBeGreaterThan(50);
    expect(all.get('Deadline.start_event')).toContain('detained_at');
    for (const where of Object.keys(shown)) expect(all.has(where), where).toBe(true);
  });

  it('every enum of the API is either translated or known not to be shown', () => {
    expect([...all.keys()].filter((k) => !(k in shown) && !(k in notShown))).toEqual([]);
  });

  it('every code has an English name', () => {
    expect(missingKeys(en as Tree, all)).toEqual([]);
  });

  it('every code has a Chinese name', () => {
    expect(missingKeys(zh as Tree, all)).toEqual([]);
  });

  it('fails when a translation is removed', () => {
    const copy = JSON.parse(JSON.stringify(zh)) as { codes: { auditActions: Record<string, string>; startEvents: Record<string, string> } };
    delete copy.codes.auditActions.auth_refresh;
    delete copy.codes.startEvents.detained_at;
    expect(missingKeys(copy as unknown as Tree, all)).toEqual([
      'AuditEntry.action "auth.refresh" -> codes.auditActions.auth_refresh',
      'Deadline.start_event "detained_at" -> codes.startEvents.detained_at',
    ]);
  });

  it('audit action keys do not collide', () => {
    const actions = all.get('AuditEntry.action') ?? [];
    expect(new Set(actions.map(codeKeys.auditAction)).size).toBe(actions.length);
  });
});
