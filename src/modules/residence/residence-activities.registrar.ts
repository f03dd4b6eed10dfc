import type { ActivityMap } from '../../../workflows/kit/types';
import { createDeadlineActivities } from '../../../activities/deadlines';
import { createDocumentActivities } from '../../../activities/documents';
import { createCertificateActivities } from '../../../activities/residence/certificate.activities';
import { createResidenceActivities, type ResidenceActivityPorts } from '../../../activities/residence/residence.activities';
import type { DeadlinesService } from '../../deadlines/deadlines.service';
import type { DocumentService } from '../../documents/document.service';

export const RESIDENCE_ACTIVITIES = Symbol('RESIDENCE_ACTIVITIES');

/**
 * Adds the residence processes' activities to the engine's activity map. It runs while providers
 * are built, before any module's onModuleInit, so the engine has them before it launches and
 * recovers runs. Deadline and document activities are added only if the engine wiring does not
 * already provide them (the lead's wiring may add them centrally).
 */
export function registerResidenceActivities(
  map: ActivityMap,
  ports: ResidenceActivityPorts & { deadlines: DeadlinesService; documentService: DocumentService },
): string[] {
  const added: string[] = [];
  const addMissing = (group: ActivityMap): void => {
    for (const [name, fn] of Object.entries(group)) {
      if (!(name in map)) {
        map[name] = fn;
        added.push(name);
      }
    }
  };
  addMissing(createDeadlineActivities({ deadlines: ports.deadlines }));
  addMissing(createDocumentActivities({ documents: ports.documentService }));
  const own = { ...createResidenceActivities(ports), ...createCertificateActivities(ports) };
  for (const [name, fn] of Object.entries(own)) {
    if (name in map) throw new Error(`activity ${name} is defined twice`);
    map[name] = fn;
    added.push(name);
  }
  return added;
}
