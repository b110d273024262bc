import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { PolicyFetchesController } from './policy-fetches.controller.js';
import { PolicyHostingController } from './policy-hosting.controller.js';
import { PolicyHostingService } from './policy-hosting.service.js';

@Module({ imports: [DomainsModule], controllers: [PolicyHostingController, PolicyFetchesController], providers: [PolicyHostingService] })
export class PolicyHostingModule {}
