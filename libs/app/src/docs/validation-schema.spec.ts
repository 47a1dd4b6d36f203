import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, registerDecorator, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { classSchema, classVariants } from './validation-schema';

function NotOnSharedHost() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notOnSharedHost',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => (args?.object as Login).mode !== 'secret' || !String(value).includes('shared'),
        defaultMessage: () => `${propertyName} must be your own host for mode secret`,
      },
    });
}

class Budget {
  @IsInt() @Min(1) @Max(250) perMinute: number;
}

class Login {
  @IsIn(['key', 'secret']) mode: 'key' | 'secret';
  @IsUrl({ require_tld: false }) @NotOnSharedHost() host: string = 'https://shared.example';
  @ValidateIf((l: Login) => l.mode === 'key') @IsString() @Matches(/^k_/, { message: 'key must start with k_' }) key?: string;
  @ValidateIf((l: Login) => l.mode === 'secret') @IsString() secret?: string;
  @IsOptional() @IsString() note?: string | null;
  @IsOptional() @ValidateNested() @Type(() => Budget) budget?: Budget;
}

describe('schemas read from validation rules', () => {
  it('splits a class by the property that decides what else is asked for, with what each value requires', () => {
    const decided = classVariants(Login)!;
    expect(decided.property).toBe('mode');
    const [key, secret] = decided.variants.map((v) => v.schema);
    expect(Object.keys(key.properties!)).toEqual(['mode', 'host', 'key', 'note', 'budget']);
    expect(key.required).toEqual(['mode', 'key']);
    expect(key.properties!.host).toMatchObject({ type: 'string', format: 'uri', default: 'https://shared.example' });
    expect(key.properties!.key).toMatchObject({ type: 'string', pattern: '^k_', description: 'must start with k_' });
    // The default host is refused for mode secret, so there it is required and has no default.
    expect(secret.required).toEqual(['mode', 'host', 'secret']);
    expect(secret.properties!.host).not.toHaveProperty('default');
    expect((secret.properties!.host as { description?: string }).description).toBe('must be your own host for mode secret');
    expect(secret.properties).not.toHaveProperty('key');
  });

  it('types nested classes, ranges and optional values, and requires nothing when partial', () => {
    const schema = classSchema(Login, { partial: true });
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties!.note).toMatchObject({ type: 'string', nullable: true });
    expect(schema.properties!.budget).toMatchObject({
      type: 'object',
      properties: { perMinute: { type: 'integer', minimum: 1, maximum: 250 } },
    });
  });
});
