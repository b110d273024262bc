import { Module } from '@nestjs/common';
import { AdviceModule } from '../advice/advice.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { TransitionsController } from './transitions.controller.js';
import { TransitionsService } from './transitions.service.js';

@Module({ imports: [DomainsModule, AdviceModule], controllers: [TransitionsController], providers: [TransitionsService] })
export class TransitionsModule {}
