/**
 * Service catalogue entries of this module: the portal catalogue and the staff workspace list
 * them (a plain array each module exports; the shared pages concatenate them).
 */
export interface ServiceEntry {
  key: string;
  /** i18n key of the link text. */
  nameKey: string;
  href: string;
  audience: 'citizen' | 'staff';
}

export const RESIDENCE_SERVICES: readonly ServiceEntry[] = [
  { key: 'residence-declaration', nameKey: 'residence:catalogue.declare', href: '/residence/declare', audience: 'citizen' },
  { key: 'residence-certificates', nameKey: 'residence:catalogue.certificates', href: '/residence/certificates', audience: 'citizen' },
  { key: 'residence-counter', nameKey: 'residence:catalogue.counter', href: '/workspace/residence/declare', audience: 'staff' },
  { key: 'residence-annulment', nameKey: 'residence:catalogue.annulment', href: '/workspace/residence/annulments/new', audience: 'staff' },
  { key: 'residence-certificates-staff', nameKey: 'residence:catalogue.certificatesStaff', href: '/workspace/residence/certificates', audience: 'staff' },
  { key: 'residence-lists', nameKey: 'residence:catalogue.lists', href: '/workspace/residence/lists', audience: 'staff' },
  { key: 'residence-statistics', nameKey: 'residence:catalogue.statistics', href: '/workspace/residence/statistics', audience: 'staff' },
];
