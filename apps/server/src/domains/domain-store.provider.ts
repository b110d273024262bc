import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { checkerOptionsFrom, DomainRollout, DomainStore, rolloutSettingsFrom } from '@app/domain-store';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';

export const domainStoreProvider: Provider = { provide: DomainStore, useFactory: (ds: DataSource) => new DomainStore(ds), inject: [DataSource] };

export const domainRolloutProvider: Provider = {
  provide: DomainRollout,
  useFactory: (store: DomainStore, config: AppConfig, clock: Clock) =>
    new DomainRollout({
      store,
      settings: rolloutSettingsFrom(config),
      requireDkim: config.evidence.requireDkim,
      checker: checkerOptionsFrom(config),
      now: () => clock.now(),
    }),
  inject: [DomainStore, APP_CONFIG, CLOCK],
};
