import type { Request, Response } from 'express';
import multer from 'multer';

/** One file of a multipart form, in memory (within the form's limits, so at most a few MB). */
export interface ReceivedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface UploadSpec {
  /** The form field carrying the files. */
  field: string;
  maxFiles: number;
  maxFileBytes: number;
  /** Text fields beside the files, and the size of each. */
  maxFields: number;
  maxFieldBytes: number;
}

/** Why a multipart body was refused: the caller turns it into its own field error. */
export class UploadRefused extends Error {
  constructor(
    readonly reason: 'fileTooLarge' | 'tooManyFiles' | 'fieldTooLarge' | 'malformed',
    /** The file being read when a limit was hit, or the text field that was too long. */
    readonly file: string,
  ) {
    super(`upload refused: ${reason} ${file}`);
  }
}

const REASONS: Record<string, UploadRefused['reason']> = {
  LIMIT_FILE_SIZE: 'fileTooLarge',
  LIMIT_FILE_COUNT: 'tooManyFiles',
  LIMIT_UNEXPECTED_FILE: 'tooManyFiles',
  LIMIT_FIELD_VALUE: 'fieldTooLarge',
};

/**
 * Reads a multipart form into memory with every limit multer has (file size and count, field
 * count and size, part count). Call it only after the request is authorised (party to the case,
 * owner of the request): the body-limit middleware has already refused a declared length over
 * the route's limit, and a refusal before this point leaves the body unread. Reading stops at the
 * first limit hit; the rest of the body is drained, bounded by that declared length.
 */
export function readUpload(
  req: Request,
  res: Response,
  spec: UploadSpec,
): Promise<{ files: ReceivedFile[]; body: Record<string, string> }> {
  let current = '';
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: spec.maxFileBytes,
      files: spec.maxFiles,
      fields: spec.maxFields,
      fieldSize: spec.maxFieldBytes,
      parts: spec.maxFiles + spec.maxFields,
      headerPairs: 100,
    },
    fileFilter: (_req, file, cb) => {
      current = file.originalname;
      cb(null, true);
    },
  }).array(spec.field, spec.maxFiles);
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (err) {
        const e = err as { code?: string; field?: string };
        const reason = REASONS[e.code ?? ''] ?? 'malformed';
        return reject(
          new UploadRefused(reason, reason === 'fieldTooLarge' ? (e.field ?? '') : current),
        );
      }
      const files = ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({
        originalname: f.originalname,
        mimetype: f.mimetype,
        size: f.size,
        buffer: f.buffer,
      }));
      resolve({ files, body: (req.body ?? {}) as Record<string, string> });
    });
  });
}
