import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { Case } from './case.entity';
import { isUuid } from '../platform/ids';

/**
 * What one case can say of another. Read from the linking case: an agenda item `decides` the case
 * it puts to the council; a payment `pays` the decision it settles; a repeated application
 * `follows` the earlier one; `related` for anything else. The other case shows the reverse
 * (`decided-by`, `paid-by`, `followed-by`, `related`), translated in cases:links.
 */
export const CASE_LINK_TYPES = ['decides', 'pays', 'follows', 'related'] as const;
export type CaseLinkType = (typeof CASE_LINK_TYPES)[number];

export const isCaseLinkType = (t: unknown): t is CaseLinkType =>
  typeof t === 'string' && (CASE_LINK_TYPES as readonly string[]).includes(t);

export interface LinkCaseRequest {
  municipalityId: string;
  fromCaseId: string;
  toCaseId: string;
  type: string;
  /** An account id, or `system` for a process. */
  actor: string;
}

/**
 * One case linked to another, as seen from that other case. `outgoing`: this case links to it
 * (with `type`); `incoming`: it links to this case. `parent` / `child` come from `cases.parent_id`.
 */
export interface LinkedCase {
  relation: 'outgoing' | 'incoming' | 'parent' | 'child';
  /** The link type (`decides`, …); null for parent and child. */
  type: CaseLinkType | null;
  caseId: string;
  number: string;
  title: string;
  status: string;
  processKey: string;
  linkedAt: Date | null;
}

/**
 * Links `fromCaseId` to `toCaseId` with a type, in the caller's tenant transaction. Both cases
 * must be of the municipality (RLS hides any other: "not found"; the composite foreign keys refuse
 * it in the database too). Idempotent: linking twice keeps one link and one timeline entry per case.
 * Returns whether this call made the link.
 */
export async function linkCases(em: EntityManager, req: LinkCaseRequest): Promise<boolean> {
  const fields = [
    ...(isCaseLinkType(req.type) ? [] : [{ field: 'type', message: 'cases:errors.linkType' }]),
    ...(typeof req.toCaseId === 'string' && isUuid(req.toCaseId) && req.toCaseId !== req.fromCaseId
      ? []
      : [{ field: 'toCaseId', message: 'cases:errors.linkTarget' }]),
  ];
  if (fields.length) throw DomainError.validation(fields);
  if (!isUuid(req.fromCaseId))
    throw new DomainError(ErrorCode.NotFound, `case ${req.fromCaseId} not found`);
  const found = await em.find(Case, {
    where: [{ id: req.fromCaseId }, { id: req.toCaseId }],
    select: { id: true, number: true },
  });
  const from = found.find((c) => c.id === req.fromCaseId);
  const to = found.find((c) => c.id === req.toCaseId);
  if (!from) throw new DomainError(ErrorCode.NotFound, `case ${req.fromCaseId} not found`);
  if (!to)
    throw DomainError.validation([
      { field: 'toCaseId', message: 'cases:errors.linkTargetNotFound' },
    ]);
  const rows = (await em.query(
    `INSERT INTO case_links (municipality_id, from_case_id, to_case_id, type, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (from_case_id, to_case_id, type) DO NOTHING RETURNING id`,
    [req.municipalityId, from.id, to.id, req.type, req.actor],
  )) as { id: string }[];
  if (rows.length === 0) return false;
  const entry = (caseId: string, other: Case, direction: 'outgoing' | 'incoming') =>
    em.query(
      `INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data) VALUES ($1, $2, $3, 'case.linked', $4, $5::jsonb)
       ON CONFLICT (case_id, key) DO NOTHING`,
      [
        req.municipalityId,
        caseId,
        `case.linked:${rows[0].id}`,
        req.actor,
        JSON.stringify({ type: req.type, direction, caseId: other.id, number: other.number }),
      ],
    );
  await entry(from.id, to, 'outgoing');
  await entry(to.id, from, 'incoming');
  return true;
}

/** Every case linked to `caseId`, both ways, with its parent and children; oldest link first. */
export async function linkedCases(em: EntityManager, caseId: string): Promise<LinkedCase[]> {
  const rows = (await em.query(
    `SELECT * FROM (
       SELECT 'outgoing' AS relation, l.type, c.id, c.number, c.title, c.status, c.process_key, l.created_at AS linked_at
         FROM case_links l JOIN cases c ON c.id = l.to_case_id AND c.municipality_id = l.municipality_id WHERE l.from_case_id = $1
       UNION ALL
       SELECT 'incoming', l.type, c.id, c.number, c.title, c.status, c.process_key, l.created_at
         FROM case_links l JOIN cases c ON c.id = l.from_case_id AND c.municipality_id = l.municipality_id WHERE l.to_case_id = $1
       UNION ALL
       SELECT 'parent', NULL, p.id, p.number, p.title, p.status, p.process_key, NULL
         FROM cases me JOIN cases p ON p.id = me.parent_id AND p.municipality_id = me.municipality_id WHERE me.id = $1
       UNION ALL
       SELECT 'child', NULL, c.id, c.number, c.title, c.status, c.process_key, c.opened_at
         FROM cases c WHERE c.parent_id = $1
     ) x ORDER BY CASE relation WHEN 'parent' THEN 0 ELSE 1 END, linked_at NULLS FIRST, number`,
    [caseId],
  )) as {
    relation: LinkedCase['relation'];
    type: CaseLinkType | null;
    id: string;
    number: string;
    title: string;
    status: string;
    process_key: string;
    linked_at: Date | null;
  }[];
  return rows.map((r) => ({
    relation: r.relation,
    type: r.type,
    caseId: r.id,
    number: r.number,
    title: r.title,
    status: r.status,
    processKey: r.process_key,
    linkedAt: r.linked_at,
  }));
}

/**
 * Whether `otherCaseId` is linked to `caseId` in either direction, or is its parent or child:
 * the cases a process of `caseId` may signal (activity `signalCase`).
 */
export async function isLinked(
  em: EntityManager,
  caseId: string,
  otherCaseId: string,
): Promise<boolean> {
  if (!isUuid(otherCaseId)) return false;
  const rows = (await em.query(
    `SELECT 1 FROM case_links WHERE (from_case_id = $1 AND to_case_id = $2) OR (from_case_id = $2 AND to_case_id = $1)
     UNION ALL SELECT 1 FROM cases WHERE (id = $1 AND parent_id = $2) OR (id = $2 AND parent_id = $1) LIMIT 1`,
    [caseId, otherCaseId],
  )) as unknown[];
  return rows.length > 0;
}
