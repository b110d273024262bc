import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { ChecksController } from './checks.controller.js';
import { ChecksService } from './checks.service.js';

@Module({ imports: [DomainsModule], controllers: [ChecksController], providers: [ChecksService] })
export class ChecksModule {}
