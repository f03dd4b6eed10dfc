import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { isUuid } from '../platform/ids';

/** Route parameters that name a record (`:id`, `:caseId`, `:rid`, …): every record id is a UUID. */
const isIdParam = (name: string): boolean =>
  name === 'id' || name === 'rid' || /[a-z]Id$/.test(name);

/** Fields (top level and one level down) holding a NUL character, which no text column can store. */
function fieldsWithNul(value: unknown, name: string): FieldError[] {
  const nul = (v: unknown): boolean =>
    typeof v === 'string'
      ? v.includes('\u0000')
      : Array.isArray(v) && v.some((x) => typeof x === 'string' && x.includes('\u0000'));
  if (nul(value)) return [{ field: name, message: 'errors:fieldInvalid' }];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => nul(v))
    .map(([k]) => ({ field: name ? `${name}.${k}` : k, message: 'errors:fieldInvalid' }));
}

/**
 * Request values checked for every route before a handler sees them, so a malformed value is a
 * 4xx at the edge instead of a cast error in PostgreSQL or a string method called on an array:
 * - an id parameter that is not a UUID names no record (404);
 * - a named query parameter (always a string in this app) sent more than once is refused (422);
 * - a NUL character in a parameter, query value or body field is refused (422).
 */
@Injectable()
export class RequestParamsPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    if (
      meta.type === 'param' &&
      meta.data &&
      isIdParam(meta.data) &&
      !(typeof value === 'string' && isUuid(value))
    ) {
      throw new DomainError(ErrorCode.NotFound, `malformed ${meta.data}`);
    }
    if (meta.type === 'query' && meta.data && value !== undefined && typeof value !== 'string') {
      throw DomainError.validation([{ field: meta.data, message: 'errors:fieldOnce' }]);
    }
    const nul = fieldsWithNul(value, meta.data ?? '');
    if (nul.length) throw DomainError.validation(nul);
    return value;
  }
}
