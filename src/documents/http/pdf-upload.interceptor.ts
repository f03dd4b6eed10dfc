import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { from, switchMap, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError } from '../../platform/errors/domain-error';

/**
 * Accepts one uploaded file in field `file`, in memory, up to VERIFY_UPLOAD_MAX_BYTES. Oversized,
 * repeated or unexpected file fields become field-level validation errors.
 */
@Injectable()
export class PdfUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;
  readonly maxBytes: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.VERIFY_UPLOAD_MAX_BYTES;
    this.upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: this.maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    }).single('file');
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const parsed = new Promise<void>((resolve, reject) => {
      this.upload(req, res, (err: unknown) => {
        if (!err) return resolve();
        const code = (err as { code?: string }).code;
        const maxMb = Math.round((this.maxBytes / 1024 / 1024) * 10) / 10;
        if (code === 'LIMIT_FILE_SIZE') {
          return reject(
            DomainError.validation([
              { field: 'file', message: 'documents:verify.tooLarge', params: { maxMb } },
            ]),
          );
        }
        reject(
          DomainError.validation([{ field: 'file', message: 'documents:verify.fileMissing' }]),
        );
      });
    });
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
