import type { Role } from './roles';

/**
 * Demo people, shared by the development identity provider (which stands in for the national eID)
 * and the demo seed. Personal codes are made up but carry a valid check digit.
 */
export interface DemoCitizen {
  sub: string;
  givenName: string;
  familyName: string;
  personalCode: string;
  email: string;
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    sub: 'eid-150385-12346',
    givenName: 'Jānis',
    familyName: 'Bērziņš',
    personalCode: '150385-12346',
    email: 'janis.berzins@example.lv',
  },
  {
    sub: 'eid-220790-14568',
    givenName: 'Līga',
    familyName: 'Kalniņa',
    personalCode: '220790-14568',
    email: 'liga.kalnina@example.lv',
  },
  {
    sub: 'eid-031178-10239',
    givenName: 'Andris',
    familyName: 'Ozols',
    personalCode: '031178-10239',
    email: 'andris.ozols@example.lv',
  },
  {
    sub: 'eid-090602-21704',
    givenName: 'Elīna',
    familyName: 'Liepiņa',
    personalCode: '090602-21704',
    email: 'elina.liepina@example.lv',
  },
  {
    sub: 'eid-290165-13409',
    givenName: 'Pēteris',
    familyName: 'Kļaviņš',
    personalCode: '290165-13409',
    email: 'peteris.klavins@example.lv',
  },
  {
    sub: 'eid-120488-12349',
    givenName: 'Zane',
    familyName: 'Sproģe',
    personalCode: '120488-12349',
    email: 'zane.sproge@example.lv',
  },
  {
    sub: 'eid-050792-13458',
    givenName: 'Edgars',
    familyName: 'Šmits',
    personalCode: '050792-13458',
    email: 'edgars.smits@example.lv',
  },
  {
    sub: 'eid-231175-14569',
    givenName: 'Ieva',
    familyName: 'Ņikitina',
    personalCode: '231175-14569',
    email: 'ieva.nikitina@example.lv',
  },
  {
    sub: 'eid-180269-15678',
    givenName: 'Guntis',
    familyName: 'Čakste',
    personalCode: '180269-15678',
    email: 'guntis.cakste@example.lv',
  },
];

/** One staff member per role; usernames are `<role>.<municipality code>`. */
export const DEMO_STAFF: readonly {
  role: Exclude<Role, 'citizen'>;
  displayName: string;
  displayNameGr: string;
}[] = [
  { role: 'caseworker', displayName: 'Inese Vītola', displayNameGr: 'Ελένη Παπαδοπούλου' },
  { role: 'manager', displayName: 'Mārtiņš Zariņš', displayNameGr: 'Γιώργος Νικολάου' },
  { role: 'council_secretary', displayName: 'Dace Ābele', displayNameGr: 'Μαρία Κωνσταντίνου' },
  { role: 'deputy', displayName: 'Raimonds Krūmiņš', displayNameGr: 'Δημήτρης Αντωνίου' },
  { role: 'administrator', displayName: 'Kristīne Siliņa', displayNameGr: 'Κατερίνα Γεωργίου' },
];

export const demoStaffUsername = (role: Role, municipalityCode: string): string =>
  `${role.replace('_', '-')}.${municipalityCode}`;
export const demoStaffEmail = (role: Role, municipalityCode: string): string =>
  `${demoStaffUsername(role, municipalityCode)}@demo.civitas.lv`;

/** Known demo password for staff accounts (printed by the demo seed; never use outside a demo). */
export const DEMO_STAFF_PASSWORD = 'civitas-demo-2026';
/** The dev identity provider accepts this password for every demo identity. */
export const DEV_IDP_PASSWORD = 'eid-demo';
