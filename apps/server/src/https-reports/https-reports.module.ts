import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { HttpsReportsController } from './https-reports.controller.js';

@Module({ imports: [IngestModule], controllers: [HttpsReportsController] })
export class HttpsReportsModule {}
