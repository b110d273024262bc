import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { QuarantineReparser, type ReparseOutcome } from '@app/ingest';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';

/** `QuarantineReparser` for the HTTP API: an unknown id is a 404. */
@Injectable()
export class QuarantineReparseService {
  private readonly reparser: QuarantineReparser;

  constructor(@Inject(DataSource) ds: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.reparser = new QuarantineReparser(ds, config.limits);
  }

  async reparseOne(id: number): Promise<ReparseOutcome> {
    const outcome = await this.reparser.reparseOne(id);
    if (!outcome) throw new NotFoundException(`No quarantine entry with id ${id}.`);
    return outcome;
  }

  reparseAll() {
    return this.reparser.reparseAll();
  }
}
