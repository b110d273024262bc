import { InitialSchema1763856000000 } from './1763856000000-InitialSchema.js';
import { RolloutSchema1763900000000 } from './1763900000000-RolloutSchema.js';
import { ImapSourceState1763920000000 } from './1763920000000-ImapSourceState.js';
import { FailureBreakdownRollup1763950000000 } from './1763950000000-FailureBreakdownRollup.js';
import { JobsAndRetention1763990000000 } from './1763990000000-JobsAndRetention.js';
import { Alerts1764050000000 } from './1764050000000-Alerts.js';
import { FailureDimensionRollup1764100000000 } from './1764100000000-FailureDimensionRollup.js';
import { MonthlyFailureDimension1764110000000 } from './1764110000000-MonthlyFailureDimension.js';
import { ReportBodyGzip1764200000000 } from './1764200000000-ReportBodyGzip.js';
import { LeanFailureDetail1764210000000 } from './1764210000000-LeanFailureDetail.js';
import { PackedFailureDimension1764300000000 } from './1764300000000-PackedFailureDimension.js';
import { MonthListsJson1764400000000 } from './1764400000000-MonthListsJson.js';
import { IncompressibleBytesStorage1764500000000 } from './1764500000000-IncompressibleBytesStorage.js';
import { StaleDimensionMonths1764600000000 } from './1764600000000-StaleDimensionMonths.js';
import { DropReportOrgIndex1764700000000 } from './1764700000000-DropReportOrgIndex.js';
import { QuarantineDedupeKey1764800000000 } from './1764800000000-QuarantineDedupeKey.js';

/** Applied in this order; add new migrations at the end. */
export const migrations = [InitialSchema1763856000000, RolloutSchema1763900000000, ImapSourceState1763920000000, FailureBreakdownRollup1763950000000, JobsAndRetention1763990000000, Alerts1764050000000, FailureDimensionRollup1764100000000, MonthlyFailureDimension1764110000000, ReportBodyGzip1764200000000, LeanFailureDetail1764210000000, PackedFailureDimension1764300000000, MonthListsJson1764400000000, IncompressibleBytesStorage1764500000000, StaleDimensionMonths1764600000000, DropReportOrgIndex1764700000000, QuarantineDedupeKey1764800000000];
