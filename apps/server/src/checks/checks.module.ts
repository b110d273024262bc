import { Module } from '@nestjs/common';
import { AdviceModule } from '../advice/advice.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { ChecksController } from './checks.controller.js';
import { ChecksService } from './checks.service.js';

@Module({ imports: [DomainsModule, AdviceModule], controllers: [ChecksController], providers: [ChecksService], exports: [ChecksService] })
export class ChecksModule {}
