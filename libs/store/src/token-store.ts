import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiTokenEntity, type TokenScope } from './entities/index.js';

const TOKEN_PREFIX = 'stsp_';

export interface CreatedToken {
  id: number;
  name: string;
  scope: TokenScope;
  /** Shown once; only its hash is stored. */
  token: string;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** API tokens: high-entropy random strings stored as SHA-256 hashes, so a database leak reveals no usable token. */
export class TokenStore {
  constructor(private readonly ds: DataSource) {}

  async create(name: string, scope: TokenScope): Promise<CreatedToken> {
    return this.createWith(this.ds.manager, name, scope);
  }

  /** `create` inside the caller's transaction. */
  async createWith(manager: EntityManager, name: string, scope: TokenScope): Promise<CreatedToken> {
    const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const row = await manager.getRepository(ApiTokenEntity).save({
      name,
      scope,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 4),
      createdAt: new Date(),
    });
    return { id: row.id, name, scope, token };
  }

  /**
   * Returns the token's scope, or null when unknown or revoked. A read only: `last_used_at` is refreshed at most
   * once a minute per token and without waiting, so an API request never pays for a write and its commit.
   */
  async verify(token: string): Promise<{ id: number; scope: TokenScope; name: string } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const rows: Array<{ id: string; scope: TokenScope; name: string; last_used_at: Date | null }> = await this.ds.query(
      `SELECT id, scope, name, last_used_at FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashToken(token)],
    );
    if (!rows.length) return null;
    const row = rows[0];
    const last = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
    if (Date.now() - last > 60_000) {
      this.ds.query(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [row.id]).catch(() => {});
    }
    return { id: Number(row.id), scope: row.scope, name: row.name };
  }

  async count(): Promise<number> {
    return this.ds.getRepository(ApiTokenEntity).count();
  }

  async list(): Promise<ApiTokenEntity[]> {
    return this.ds.getRepository(ApiTokenEntity).find({ order: { id: 'ASC' } });
  }

  async revoke(id: number): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.ds.query(
      `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return count > 0;
  }
}
