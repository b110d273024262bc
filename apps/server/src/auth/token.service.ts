import { Inject, Injectable } from '@nestjs/common';
import { TokenStore, type TokenScope } from '@app/store';
import { DataSource } from 'typeorm';

@Injectable()
export class TokenService extends TokenStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * On the very first start there is no token yet: create one admin token so the operator can log in. Replicas
   * starting together serialize on an advisory lock, so exactly one of them creates (and prints) it.
   */
  async ensureInitialAdmin(): Promise<string | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('sts-pilot:initial-admin-token'))`);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM api_token`);
      if (n > 0) return null;
      return (await this.createWith(m, 'initial-admin', 'admin' satisfies TokenScope)).token;
    });
  }
}
