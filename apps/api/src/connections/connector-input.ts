import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { CrmConnectorFactory, HelpdeskConnectorFactory } from '../../../../connectors/core/src';
import { crmConnectorFactory, CRM_CONNECTORS, helpdeskConnectorFactory, HELPDESK_CONNECTORS } from '../../../../connectors/core/registry';

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

/** The CRM or helpdesk connector registered for `kind`, or a 400 naming the kinds there are. */
export function factoryFor(kind: string): CrmConnectorFactory | HelpdeskConnectorFactory {
  const factory = crmConnectorFactory(kind) ?? helpdeskConnectorFactory(kind);
  if (!factory) {
    const kinds = [...Object.keys(CRM_CONNECTORS), ...Object.keys(HELPDESK_CONNECTORS)];
    throw new BadRequestException([`kind: must be one of ${kinds.join(', ') || '(none installed)'}, got "${kind}"`]);
  }
  return factory;
}
