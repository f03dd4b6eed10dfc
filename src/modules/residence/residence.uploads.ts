import type { Request, Response } from 'express';
import multer from 'multer';
import { DomainError } from '../../platform/errors/domain-error';
import type { UploadedFile } from './residence.service';
import { ATTACHMENT_MAX_BYTES } from './residence.types';

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 5, fields: 10 } }).array('files', 5);

/** Parses a multipart form (files in `files`); limits become field-level errors. */
export function parseUpload(req: Request, res: Response): Promise<{ files: UploadedFile[]; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        const message = code === 'LIMIT_FILE_SIZE' ? 'residence:errors.fileTooLarge' : 'residence:errors.filesRequired';
        return reject(DomainError.validation([{ field: 'files', message, params: { maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 } }]));
      }
      const files = ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({ originalname: f.originalname, mimetype: f.mimetype, size: f.size, buffer: f.buffer }));
      resolve({ files, body: (req.body ?? {}) as Record<string, string> });
    });
  });
}
