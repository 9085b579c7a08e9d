import * as path from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { ClientProxyFactory, Transport, type ClientGrpc, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_FILES, PROTO_LOADER_OPTIONS, PROTO_ROOT } from '@tunegraph/contracts';
import { CORRELATION_HEADER, currentCorrelationId } from '../logging/correlation';

export type ProtoName = keyof typeof PROTO_FILES;

function protoOptions(protos: ProtoName[]) {
  return {
    package: 'tunegraph.v1',
    protoPath: protos.map((p) => path.join(PROTO_ROOT, PROTO_FILES[p])),
    loader: PROTO_LOADER_OPTIONS,
  };
}

/** Options for a Nest gRPC server exposing the given contracts. */
export function grpcServerOptions(port: number, protos: ProtoName[]): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: { ...protoOptions(protos), url: `0.0.0.0:${port}`, maxReceiveMessageLength: 16 * 1024 * 1024 },
  };
}

/** A gRPC client for one contract at host:port. */
export function createGrpcClient(url: string, proto: ProtoName): ClientGrpc {
  return ClientProxyFactory.create({
    transport: Transport.GRPC,
    options: { ...protoOptions([proto]), url },
  }) as unknown as ClientGrpc;
}

/** Metadata carrying the current correlation id to the next service. */
export function outgoingMetadata(): Metadata {
  const metadata = new Metadata();
  const id = currentCorrelationId();
  if (id) metadata.set(CORRELATION_HEADER, id);
  return metadata;
}
