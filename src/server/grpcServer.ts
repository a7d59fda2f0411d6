import { Server, ServerCredentials } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation, protoPath as healthProtoPath } from "grpc-health-check";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config/config.js";
import type { ServedService } from "./capability.js";

export const protoRoot = fileURLToPath(new URL("../../proto", import.meta.url));
export const protoFiles = [
  "vitrine/v1/telemetry_service.proto",
  "vitrine/v1/recommendation_service.proto",
  "vitrine/v1/placement_service.proto",
  "vitrine/v1/insights_service.proto",
  "vitrine/v1/privacy_service.proto",
];

export interface GrpcServer {
  server: Server;
  health: HealthImplementation;
  address: string;
}

function credentials(config: Config): ServerCredentials {
  if (!config.tlsCertPath) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(config.tlsCertPath), private_key: readFileSync(config.tlsKeyPath) }], false);
}

/** Binds a grpc-js server with the given services plus standard health checking and reflection. */
export async function startGrpcServer(config: Config, services: ServedService[]): Promise<GrpcServer> {
  const server = new Server({
    "grpc.max_receive_message_length": config.maxMessageBytes,
    "grpc.keepalive_time_ms": 60_000,
    "grpc.keepalive_permit_without_calls": 1,
  });
  for (const service of services) server.addService(service.definition, service.implementation);
  const health = new HealthImplementation({ "": "NOT_SERVING", ...Object.fromEntries(services.map((s) => [s.name, "NOT_SERVING" as const])) });
  health.addToServer(server);
  // Reflection describes the health service too, so grpcurl and GUI clients can call it.
  const packageDefinition = protoLoader.loadSync([...protoFiles, "health.proto"], { includeDirs: [protoRoot, dirname(healthProtoPath)] });
  new ReflectionService(packageDefinition).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(config.listenAddress, credentials(config), (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
  );
  const host = config.listenAddress.slice(0, config.listenAddress.lastIndexOf(":"));
  health.setStatus("", "SERVING");
  for (const service of services) health.setStatus(service.name, "SERVING");
  return { server, health, address: `${host}:${port}` };
}
