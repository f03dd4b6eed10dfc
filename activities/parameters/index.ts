import type { CalendarService } from '../../src/deadlines/calendar/calendar.service';
import { TIME_ZONES, localDate } from '../../src/deadlines/calendar/time-zone';
import type { ParametersService } from '../../src/parameters/parameters.service';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { addTimelineOnce } from '../case/case.activities';

export interface ParameterPorts {
  parameters: ParametersService;
  calendars: CalendarService;
  tenantDb: TenantDb;
}

/** One parameter as it applied to a case: the value and the version it came from. */
export interface AppliedParameter {
  key: string;
  value: number;
  unit: string;
  validFrom: string;
  /** The national value, or this municipality's own. */
  scope: 'country' | 'municipality';
  /** The legal source recorded with the version. */
  note: string;
}

export interface ReadParametersRequest {
  caseId: string;
  municipalityId: string;
  /** Names this reading in the case file (one timeline entry per step and key). */
  step: string;
  /** The instant whose date decides which version applies (e.g. when the case was opened). */
  on: string;
  keys: string[];
}

/**
 * Effective-dated parameters for process code. A process reads the values in force on the date
 * that matters at the start of the step that uses them: the activity's result is recorded in the
 * run's history (replay gives the same value even after a new version), and each value is written
 * on the case's timeline so staff see which value and which version applied.
 */
export function createParameterActivities(ports: ParameterPorts) {
  return {
    async readParameters(req: ReadParametersRequest): Promise<Record<string, AppliedParameter>> {
      const on = localDate(
        new Date(req.on),
        TIME_ZONES[await ports.calendars.countryOf(req.municipalityId)],
      );
      const out: Record<string, AppliedParameter> = {};
      for (const key of req.keys) {
        const p = await ports.parameters.effective(req.municipalityId, key, on);
        out[key] = {
          key,
          value: Number(p.value),
          unit: p.unit,
          validFrom: p.validFrom,
          scope: p.municipalityId ? 'municipality' : 'country',
          note: p.note,
        };
      }
      await ports.tenantDb.run(req.municipalityId, async (em) => {
        for (const p of Object.values(out)) {
          await addTimelineOnce(em, {
            caseId: req.caseId,
            municipalityId: req.municipalityId,
            key: `parameter:${req.step}:${p.key}`,
            kind: 'parameter.applied',
            data: { ...p, on },
          });
        }
      });
      return out;
    },
  };
}

export type ParameterActivities = ReturnType<typeof createParameterActivities>;
