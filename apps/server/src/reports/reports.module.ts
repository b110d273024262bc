import { Module } from '@nestjs/common';
import { QuarantineController } from '../quarantine/quarantine.controller.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

@Module({ controllers: [ReportsController, QuarantineController], providers: [ReportsService] })
export class ReportsModule {}
