import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** The body of every 4xx and 5xx answer from /api and the webhooks. */
export class ErrorDto {
  @ApiProperty({ type: 'integer', example: 400, description: 'the HTTP status again' })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }],
    example: ['name: must not be empty', 'credentials.clientId: clientId must be a string'],
    description: 'what went wrong: for a 400 one line per problem, each starting with the field it names',
  })
  message: string[] | string;

  @ApiProperty({ example: 'Bad Request', description: 'the status in words' })
  error: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['companyName', 'senderEmail'],
    description: 'PUT /api/program only: what must be set before the program may go live',
  })
  missing?: string[];

  @ApiPropertyOptional({ example: 'Salesforce', description: 'a vendor error: which vendor answered' })
  vendor?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 401, description: "a vendor error: the vendor's HTTP status" })
  vendorStatus?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'INVALID_SESSION_ID', description: "a vendor error: the vendor's error code" })
  vendorCode?: string | null;
}

const WHY: Record<number, string> = {
  400: 'the input is invalid; `message` names each field and what it must be',
  401: 'no admin key, or one that is unknown or revoked (send "Authorization: Bearer <admin key>")',
  404: 'nothing with this id',
  409: 'conflicts with what exists',
  429: 'too many failed admin authentications from this address: wait the seconds in Retry-After (a valid key still works)',
  424: "the vendor refused the credentials or the request; `message` carries the vendor's words",
  502: "the vendor is unavailable; `message` carries the vendor's words",
  504: 'the vendor did not answer in time',
};

/**
 * Documents error answers with the shared ErrorDto: `@ApiErrors(400, 404)` or with this
 * route's own reason, `@ApiErrors({ 404: 'no connection with this id' })`.
 */
export function ApiErrors(...statuses: Array<number | Record<number, string>>): MethodDecorator & ClassDecorator {
  const reasons: Record<number, string> = {};
  for (const entry of statuses) {
    if (typeof entry === 'number') reasons[entry] = WHY[entry] ?? 'refused';
    else Object.assign(reasons, entry);
  }
  return applyDecorators(...Object.entries(reasons).map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorDto })));
}
