import type { Provider } from '@nestjs/common';
import { DomainStore } from '@app/domain-store';
import { DataSource } from 'typeorm';

export const domainStoreProvider: Provider = { provide: DomainStore, useFactory: (ds: DataSource) => new DomainStore(ds), inject: [DataSource] };
