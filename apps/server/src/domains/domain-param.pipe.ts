import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { normalizeDomain } from '@app/domain-store';

/** `:domain` in any accepted spelling (case, trailing dot, IDN) resolves to the stored canonical name. */
export class DomainParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const r = normalizeDomain(value);
    if (!r.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', code: r.code, field: 'domain', message: r.reason });
    return r.domain;
  }
}
