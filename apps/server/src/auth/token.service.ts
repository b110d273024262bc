import { Inject, Injectable } from '@nestjs/common';
import { TokenStore, type TokenScope } from '@app/store';
import { DataSource } from 'typeorm';

@Injectable()
export class TokenService extends TokenStore {
  constructor(@Inject(DataSource) ds: DataSource) {
    super(ds);
  }

  /** On the very first start there is no token yet: create one admin token so the operator can log in. */
  async ensureInitialAdmin(): Promise<string | null> {
    if ((await this.count()) > 0) return null;
    return (await this.create('initial-admin', 'admin' satisfies TokenScope)).token;
  }
}
