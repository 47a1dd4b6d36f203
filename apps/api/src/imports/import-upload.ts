import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestException, CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor, PayloadTooLargeException, Type } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { finalize, Observable } from 'rxjs';
import type { Request } from 'express';
import { CsvFile } from '@libs/app/src/import/csv-history';
import { DELIGHTED_FILE_KINDS, DelightedFile, DelightedFileKind, delightedKindOf } from '@libs/app/src/import/delighted-export';

/** A file part as multer leaves it on disk. */
export interface UploadedPart {
  fieldname: string;
  originalname: string;
  path: string;
  size: number;
}

export type UploadRequest = Request & { files?: UploadedPart[]; body?: Record<string, unknown> };

/** The largest file an upload takes; bigger exports go through `npm run import`. */
export const UPLOAD_FILE_LIMIT_BYTES = 512 * 1024 * 1024;
const MAPPING_LIMIT_BYTES = 1024 * 1024;
const UPLOAD_DIR = join(tmpdir(), 'nps-bridge-imports');

const MulterParts: Type<NestInterceptor> = AnyFilesInterceptor({
  dest: UPLOAD_DIR,
  limits: { fileSize: UPLOAD_FILE_LIMIT_BYTES, files: 50, fields: 10, fieldSize: MAPPING_LIMIT_BYTES, parts: 60 },
});

/**
 * Streams a multipart upload's files to a temporary folder (never into memory), answers its
 * errors naming what they are about, and removes the files once the request is answered.
 */
@Injectable()
export class ImportUploadInterceptor implements NestInterceptor {
  private readonly multer = new MulterParts();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<UploadRequest>();
    const cleanUp = () => void Promise.all((req.files ?? []).map((f) => rm(f.path, { force: true }))).catch(() => undefined);
    let parsed: Observable<unknown>;
    try {
      parsed = await this.multer.intercept(context, next);
    } catch (error) {
      cleanUp();
      throw uploadError(error);
    }
    return parsed.pipe(finalize(cleanUp));
  }
}

function uploadError(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  const message = error.message;
  if (error instanceof PayloadTooLargeException || /too large|too long/i.test(message)) {
    return new PayloadTooLargeException([`body: a file or field is larger than the upload limit (${UPLOAD_FILE_LIMIT_BYTES / 1024 / 1024} MB a file); use npm run import`]);
  }
  return new BadRequestException([`body: the multipart upload cannot be read (${message})`]);
}

/** The CSV and its mapping (a text field or a file part, JSON) of a CSV upload. */
export async function csvUpload(req: UploadRequest): Promise<{ file: CsvFile; mapping: unknown }> {
  const files = req.files ?? [];
  const unexpected = files.filter((f) => f.fieldname !== 'file' && f.fieldname !== 'mapping');
  if (unexpected.length) throw new BadRequestException(unexpected.map((f) => `${f.fieldname}: is not a part a CSV import takes (file, mapping)`));
  const csv = files.filter((f) => f.fieldname === 'file');
  if (csv.length !== 1) throw new BadRequestException([`file: exactly one CSV file is expected (got ${csv.length})`]);
  const mappingFile = files.find((f) => f.fieldname === 'mapping');
  const field = req.body?.mapping;
  let text: string;
  if (mappingFile) {
    if (mappingFile.size > MAPPING_LIMIT_BYTES) throw new BadRequestException(['mapping: larger than 1 MB']);
    text = await readFile(mappingFile.path, 'utf8');
  } else if (typeof field === 'string' && field.trim() !== '') text = field;
  else throw new BadRequestException(['mapping: is required for a CSV import (the column mapping, JSON; see README "Importing history")']);
  let mapping: unknown;
  try {
    mapping = JSON.parse(text);
  } catch (error) {
    throw new BadRequestException([`mapping: is not valid JSON (${(error as Error).message})`]);
  }
  return { file: { path: csv[0].path, name: csv[0].originalname || 'upload.csv' }, mapping };
}

/**
 * A Delighted export's files: each in a part named by its kind (survey_responses, people,
 * unsubscribes, bounces), or in parts named `files` whose file names say their kind.
 */
export function delightedUpload(req: UploadRequest): DelightedFile[] {
  const problems: string[] = [];
  const files: DelightedFile[] = [];
  for (const part of req.files ?? []) {
    const named = (DELIGHTED_FILE_KINDS as readonly string[]).includes(part.fieldname) ? (part.fieldname as DelightedFileKind) : null;
    const kind = named ?? (part.fieldname === 'files' ? delightedKindOf(part.originalname) : null);
    if (kind) files.push({ kind, path: part.path, name: part.originalname || `${kind}.json` });
    else if (part.fieldname === 'files') problems.push(`files: ${part.originalname} is not a Delighted export file (names start with ${DELIGHTED_FILE_KINDS.join(', ')})`);
    else problems.push(`${part.fieldname}: is not a part a Delighted import takes (${DELIGHTED_FILE_KINDS.join(', ')}, files)`);
  }
  if (problems.length) throw new BadRequestException(problems);
  if (!files.some((f) => f.kind !== 'people')) throw new BadRequestException(['survey_responses: no survey_responses, unsubscribes or bounces file was uploaded']);
  return files;
}
