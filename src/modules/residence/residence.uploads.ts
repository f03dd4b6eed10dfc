import type { Request, Response } from 'express';
import { DomainError } from '../../platform/errors/domain-error';
import { CITIZEN_UPLOAD } from '../../web/body-limits';
import { readUpload, UploadRefused } from '../../web/uploads';
import { NOTE_MAX, type UploadedFile } from './residence.service';
import { ATTACHMENT_MAX_BYTES } from './residence.types';

/** Parses a multipart form (files in `files`) after the caller has checked who may send it; limits become field-level errors. */
export async function parseUpload(
  req: Request,
  res: Response,
): Promise<{ files: UploadedFile[]; body: Record<string, string> }> {
  try {
    return await readUpload(req, res, {
      ...CITIZEN_UPLOAD,
      field: 'files',
      maxFileBytes: ATTACHMENT_MAX_BYTES,
    });
  } catch (e) {
    if (!(e instanceof UploadRefused)) throw e;
    if (e.reason === 'fieldTooLarge')
      throw DomainError.validation([
        { field: e.file, message: 'errors:fieldTooLong', params: { max: NOTE_MAX } },
      ]);
    const message =
      e.reason === 'fileTooLarge'
        ? 'residence:errors.fileTooLarge'
        : 'residence:errors.filesRequired';
    throw DomainError.validation([
      { field: 'files', message, params: { maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 } },
    ]);
  }
}
