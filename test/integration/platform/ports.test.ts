import { Inject, Injectable, Module } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createApp } from '../../../src/app';
import {
  DueDateChangesOnTimeline,
  DeliveriesOnTimeline,
  DocumentsOnTimeline,
} from '../../../src/cases/case-file.ports';
import { loadConfig } from '../../../src/config/config';
import { DEADLINE_CHANGE_LISTENER } from '../../../src/deadlines/deadlines.service';
import { MANAGER_DIRECTORY } from '../../../src/delivery/alerts/alert.service';
import { DOCUMENT_SOURCE } from '../../../src/delivery/channels/channel.port';
import { DELIVERY_TIMELINE } from '../../../src/delivery/delivery-sender';
import { CASE_TIMELINE } from '../../../src/documents/case-timeline';
import { IssuedDocumentSource } from '../../../src/documents/issued-document.source';
import { AccountManagerDirectory } from '../../../src/platform/accounts/manager-directory';
import { describeStartupFailure } from '../../../src/startup-error';

jest.setTimeout(60_000);

const config = (env: Record<string, string> = {}) =>
  loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DELIVERY_POLL_MS: '0',
    ENGINE_EXECUTOR_ID: `ports-${process.pid}`,
    ...env,
  });

describe('ports of the shipped assembly', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApp(config());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('binds each port a code path needs to its real implementation in src/', () => {
    expect(app.get(DOCUMENT_SOURCE, { strict: false })).toBeInstanceOf(IssuedDocumentSource);
    expect(app.get(MANAGER_DIRECTORY, { strict: false })).toBeInstanceOf(AccountManagerDirectory);
    expect(app.get(DEADLINE_CHANGE_LISTENER, { strict: false })).toBeInstanceOf(
      DueDateChangesOnTimeline,
    );
    expect(app.get(DELIVERY_TIMELINE, { strict: false })).toBeInstanceOf(DeliveriesOnTimeline);
    expect(app.get(CASE_TIMELINE, { strict: false })).toBeInstanceOf(DocumentsOnTimeline);
  });

  it('resolves every token any provider or controller injects (no optional ports left)', () => {
    // Classes exported by our own source files (libraries such as Nest's Logger may have optional ports).
    const ours = new Set<unknown>(
      Object.entries(require.cache)
        .filter(([file]) => file.includes('/src/') && !file.includes('node_modules'))
        .flatMap(([, m]) => Object.values((m?.exports ?? {}) as Record<string, unknown>)),
    );
    const injected = new Set<string | symbol>();
    for (const mod of app.get(ModulesContainer).values()) {
      for (const wrapper of [...mod.providers.values(), ...mod.controllers.values()]) {
        const type = wrapper.metatype as (abstract new (...a: never[]) => unknown) | null;
        if (!type || typeof type !== 'function') continue;
        const custom = (Reflect.getMetadata('self:paramtypes', type) ?? []) as {
          param: string | symbol;
        }[];
        const optional = (Reflect.getMetadata('optional:paramtypes', type) ?? []) as number[];
        if (ours.has(type))
          expect({ provider: type.name, optional }).toEqual({ provider: type.name, optional: [] });
        for (const c of custom) if (typeof c.param !== 'function') injected.add(c.param);
      }
    }
    expect(ours.size).toBeGreaterThan(100);
    expect(injected.size).toBeGreaterThan(10);
    const unresolved = [...injected].filter((t) => {
      try {
        return app.get(t, { strict: false }) === undefined;
      } catch {
        return true;
      }
    });
    expect(unresolved.map(String)).toEqual([]);
  });
});

describe('start-up with a port unbound or misconfigured', () => {
  it('names the unbound port and who needs it', async () => {
    @Injectable()
    class SendsCertificates {
      constructor(@Inject(DOCUMENT_SOURCE) readonly documents: unknown) {}
    }
    @Module({ providers: [SendsCertificates] })
    class WithoutDocuments {}
    const failure = await Test.createTestingModule({ imports: [WithoutDocuments] })
      .compile()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(describeStartupFailure(failure)).toBe(
      'Civitas did not start: no module binds the port DOCUMENT_SOURCE, which SendsCertificates needs. Every port must be bound in src/ (see docs/engine.md, "Ports").',
    );
  });

  it('refuses to start with the real e-address adapter chosen but not configured, naming the variables', () => {
    let failure: unknown = null;
    try {
      config({ EADRESE_MODE: 'div', EADRESE_CERT_P12: '/etc/civitas/seal.p12' });
    } catch (e) {
      failure = e;
    }
    expect(describeStartupFailure(failure)).toBe(
      'Invalid configuration:\n  - EADRESE_ENDPOINT: required when EADRESE_MODE=div (the real e-adrese adapter)',
    );
  });

  it('refuses to start with the services-platform adapter chosen but no endpoint, naming the variable', () => {
    let failure: unknown = null;
    try {
      config({ PSPP_MODE: 'http' });
    } catch (e) {
      failure = e;
    }
    expect(describeStartupFailure(failure)).toBe(
      'Invalid configuration:\n  - PSPP_ENDPOINT: required when PSPP_MODE=http (the services platform adapter)',
    );
  });
});
