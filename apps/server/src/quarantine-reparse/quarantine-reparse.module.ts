import { Module } from '@nestjs/common';
import { QuarantineReparseController } from './quarantine-reparse.controller.js';
import { QuarantineReparseService } from './quarantine-reparse.service.js';

@Module({ controllers: [QuarantineReparseController], providers: [QuarantineReparseService] })
export class QuarantineReparseModule {}
