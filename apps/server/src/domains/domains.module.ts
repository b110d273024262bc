import { Module } from '@nestjs/common';
import { DomainStore } from '@app/domain-store';
import { domainStoreProvider } from './domain-store.provider.js';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';

@Module({ controllers: [DomainsController], providers: [domainStoreProvider, DomainsService], exports: [DomainStore, DomainsService] })
export class DomainsModule {}
