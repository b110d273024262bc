import { SetMetadata } from '@nestjs/common';
import type { TokenScope } from '@app/store';

export const SCOPE_KEY = 'sts-pilot:scope';
export const PUBLIC_KEY = 'sts-pilot:public';

/** Routes are `read` by default; mark admin-only routes with `@RequireScope('admin')`. */
export const RequireScope = (scope: TokenScope) => SetMetadata(SCOPE_KEY, scope);
/** Routes without a token: health, metrics, policy hosting, report submission. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
