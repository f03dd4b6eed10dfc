import { DataSource } from 'typeorm';
import { Municipality } from '../tenancy/municipality.entity';

export const DEMO_MUNICIPALITIES = [
  {
    code: 'tukums',
    name: 'Tukuma novada pašvaldība',
    country: 'LV',
    registrationNumber: '90000050975',
    address: 'Talsu iela 4, Tukums, LV-3101',
    eAddress: '_DEFAULT@90000050975',
  },
  {
    code: 'nafplio',
    name: 'Δήμος Ναυπλιέων',
    country: 'GR',
    registrationNumber: '997697150',
    address: 'Συγγρού 7, Ναύπλιο 21100',
    eAddress: '',
  },
] as const;

/** Idempotent: creates the demo municipalities that are missing; returns all of them. */
export async function seedDemoMunicipalities(ds: DataSource): Promise<Municipality[]> {
  const repo = ds.getRepository(Municipality);
  await repo.upsert(
    DEMO_MUNICIPALITIES.map((m) => ({ ...m })),
    { conflictPaths: ['code'], skipUpdateIfNoValuesChanged: true },
  );
  return repo.find({ order: { code: 'DESC' } });
}
