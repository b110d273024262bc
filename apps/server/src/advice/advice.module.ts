import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { AdviceController } from './advice.controller.js';
import { AdviceService } from './advice.service.js';

@Module({ imports: [DomainsModule], controllers: [AdviceController], providers: [AdviceService], exports: [AdviceService] })
export class AdviceModule {}
