import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { PolicyAskController } from './policy-ask.controller.js';
import { PolicyFetchesController } from './policy-fetches.controller.js';
import { PolicyHostingController } from './policy-hosting.controller.js';
import { PolicyHostingService } from './policy-hosting.service.js';

@Module({ imports: [DomainsModule], controllers: [PolicyHostingController, PolicyFetchesController, PolicyAskController], providers: [PolicyHostingService] })
export class PolicyHostingModule {}
