import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { Municipality } from '../platform/tenancy/municipality.entity';

export const MUNICIPALITY_COOKIE = 'civitas_municipality';

/**
 * Which municipality the page is about: the signed-in user's, else the one chosen by cookie,
 * else the first registered. Municipalities are public facts and change rarely: cached briefly.
 */
export function municipalityMiddleware(ds: DataSource) {
  let cache: { at: number; list: Municipality[] } | undefined;
  const list = async (mustHave?: string): Promise<Municipality[]> => {
    // A municipality added since the last load (the signed-in user's) is never shown as another one.
    if (
      !cache ||
      Date.now() - cache.at > 30_000 ||
      (mustHave && !cache.list.some((m) => m.id === mustHave))
    ) {
      cache = {
        at: Date.now(),
        list: await ds.getRepository(Municipality).find({ order: { name: 'ASC' } }),
      };
    }
    return cache.list;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const userMid = (res.locals.user as { municipalityId?: string } | undefined)?.municipalityId;
    list(userMid)
      .then((all) => {
        const chosen = (req as Request & { cookies?: Record<string, string> }).cookies?.[
          MUNICIPALITY_COOKIE
        ];
        const m = all.find((x) => x.id === userMid) ?? all.find((x) => x.code === chosen) ?? all[0];
        if (m)
          res.locals.municipality = { id: m.id, code: m.code, name: m.name, country: m.country };
        next();
      })
      .catch(next);
  };
}
