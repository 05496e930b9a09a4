/** Whether the change under review counts as AI-generated, and why. */
export interface Provenance {
  ai: boolean;
  /** declared: someone said so (--provenance); unknown: nobody did and the policy decided. */
  basis: 'declared' | 'unknown';
  evidence: ProvenanceEvidence[];
}

export interface ProvenanceEvidence {
  source: 'flag' | 'policy';
  detail: string;
}

export type Declaration = 'ai' | 'human';

export function resolveProvenance(declared: Declaration | undefined, unknownCountsAs: Declaration): Provenance {
  if (declared !== undefined) {
    return { ai: declared === 'ai', basis: 'declared', evidence: [{ source: 'flag', detail: `declared ${declared} with --provenance` }] };
  }
  return {
    ai: unknownCountsAs === 'ai',
    basis: 'unknown',
    evidence: [{ source: 'policy', detail: `no provenance evidence; the policy counts unknown provenance as ${unknownCountsAs}` }],
  };
}
