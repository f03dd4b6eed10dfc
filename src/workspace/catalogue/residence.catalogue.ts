import { registerService } from './service-catalogue';

/** The residence services in the citizen catalogue; their forms are the residence module's own pages. */
for (const [key, ns, startUrl] of [
  ['residence-declaration', 'residence-catalogue:residenceDeclaration', '/residence/declare'],
  ['residence-certificate', 'residence-catalogue:residenceCertificates', '/residence/certificates'],
] as const) {
  registerService({
    key,
    name: `${ns}.name`,
    description: `${ns}.description`,
    who: `${ns}.who`,
    documents: `${ns}.documents`,
    fee: `${ns}.fee`,
    deadline: `${ns}.deadline`,
    howTo: `${ns}.howTo`,
    result: `${ns}.result`,
    startUrl,
  });
}
