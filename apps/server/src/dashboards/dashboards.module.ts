import { Module } from '@nestjs/common';
import { DashboardsController } from './dashboards.controller.js';
import { DashboardsService } from './dashboards.service.js';
import { FailureExportController } from './failure-export.controller.js';
import { FailureExportService } from './failure-export.service.js';

@Module({
  controllers: [DashboardsController, FailureExportController],
  providers: [DashboardsService, FailureExportService],
})
export class DashboardsModule {}
