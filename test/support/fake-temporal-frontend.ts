/**
 * A Temporal frontend speaking the real WorkflowService gRPC protocol (Temporal's own protobuf
 * types over @grpc/grpc-js) with scripted answers. No Temporal server can run on this machine;
 * this lets the real @temporalio/client in TemporalEngine be tested over the wire.
 */
import * as grpc from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';

const ws = temporal.api.workflowservice.v1 as unknown as Record<string, ProtoType>;
interface ProtoType {
  decode(b: Uint8Array): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  fromObject(o: object): unknown;
  toObject(m: unknown, o?: object): Record<string, unknown>;
}

const METHODS = [
  'GetSystemInfo',
  'StartWorkflowExecution',
  'SignalWorkflowExecution',
  'DescribeWorkflowExecution',
  'RequestCancelWorkflowExecution',
  'GetWorkflowExecutionHistory',
] as const;
export type Method = (typeof METHODS)[number];

export class GrpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (request: any) => object | Promise<object>;

export class FakeTemporalFrontend {
  readonly calls: { method: Method; request: Record<string, unknown> }[] = [];
  private readonly handlers = new Map<Method, Handler>([
    ['GetSystemInfo', () => ({ capabilities: {} })],
  ]);
  private server?: grpc.Server;
  address = '';

  on(method: Method, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  callsOf(method: Method): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  async start(): Promise<string> {
    const server = new grpc.Server();
    const definition: Record<string, grpc.MethodDefinition<unknown, object>> = {};
    const impl: grpc.UntypedServiceImplementation = {};
    for (const method of METHODS) {
      const req = ws[`${method}Request`];
      const res = ws[`${method}Response`];
      definition[method] = {
        path: `/temporal.api.workflowservice.v1.WorkflowService/${method}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (m: unknown) => Buffer.from(req.encode(m).finish()),
        requestDeserialize: (b: Buffer) => req.decode(b),
        responseSerialize: (m: object) => Buffer.from(res.encode(res.fromObject(m)).finish()),
        responseDeserialize: (b: Buffer) => res.decode(b) as object,
      };
      impl[method] = (
        call: grpc.ServerUnaryCall<unknown, object>,
        callback: grpc.sendUnaryData<object>,
      ) => {
        const request = req.toObject(call.request, {
          longs: String,
          enums: String,
          defaults: false,
        });
        this.calls.push({ method, request });
        const handler = this.handlers.get(method);
        if (!handler)
          return callback({ code: grpc.status.UNIMPLEMENTED, details: `${method} not scripted` });
        Promise.resolve()
          .then(() => handler(request))
          .then(
            (r) => callback(null, r),
            (e: unknown) =>
              callback(
                e instanceof GrpcError
                  ? { code: e.code, details: e.details }
                  : { code: grpc.status.INTERNAL, details: String(e) },
              ),
          );
      };
    }
    server.addService(definition as grpc.ServiceDefinition, impl);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.server = server;
    this.address = `127.0.0.1:${port}`;
    return this.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.forceShutdown();
  }
}

/** Decodes a JSON payload sent by the client (the default data converter's `json/plain`). */
export function decodePayload(p: {
  metadata?: Record<string, Uint8Array>;
  data?: Uint8Array;
}): unknown {
  const encoding = Buffer.from(p.metadata?.encoding ?? []).toString();
  if (encoding !== 'json/plain') throw new Error(`unexpected payload encoding ${encoding}`);
  return JSON.parse(Buffer.from(p.data ?? []).toString('utf8'));
}

/** Encodes a value as the client expects a payload. */
export const encodePayload = (v: unknown) => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(v)),
});
