import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CrmConnectorFactory } from '../../../../connectors/core/src';
import { crmConnectorFactory, CRM_CONNECTORS } from '../../../../connectors/core/registry';

function messages(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/** Validates a vendor-specific object with the connector's own DTO class; errors name the field path. */
export function validateConnectorInput<T extends object>(cls: new () => T, value: unknown, prefix: string): T {
  const instance = plainToInstance(cls, value ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new BadRequestException(messages(errors, prefix));
  return instance;
}

export function factoryFor(kind: string): CrmConnectorFactory {
  const factory = crmConnectorFactory(kind);
  if (!factory) {
    throw new BadRequestException([`kind: must be one of ${Object.keys(CRM_CONNECTORS).join(', ') || '(none installed)'}, got "${kind}"`]);
  }
  return factory;
}
