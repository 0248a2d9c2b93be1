/** The evidence kinds of the API (EvidenceUpload.kind), translated under evidence.kinds. */
export const evidenceKinds = ['document', 'photo', 'video', 'audio', 'testimony', 'medical_record', 'court_document', 'correspondence', 'other'] as const;
