import { Module } from '@nestjs/common';
import { DomainRollout, DomainStore } from '@app/domain-store';
import { domainRolloutProvider, domainStoreProvider } from './domain-store.provider.js';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';

@Module({
  controllers: [DomainsController],
  providers: [domainStoreProvider, domainRolloutProvider, DomainsService],
  exports: [DomainStore, DomainRollout, DomainsService],
})
export class DomainsModule {}
