import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as grpc from "@grpc/grpc-js";
import assert from "node:assert/strict";
import { InsightsServiceClient } from "../../src/gen/vitrine/v1/insights_service.js";
import { PrivacyServiceClient } from "../../src/gen/vitrine/v1/privacy_service.js";
import { call, startTestServer, type TestServer } from "../support/testServer.js";

async function expectCode(promise: Promise<unknown>, code: status): Promise<ServiceError> {
  const error = await promise.then(
    () => assert.fail(`expected status ${status[code]}`),
    (e: ServiceError) => e,
  );
  assert.equal(error.code, code, `got ${status[error.code]}: ${error.details}`);
  return error;
}

describe("server", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it("answers health checks with SERVING for itself and each service", async () => {
    const definition = protoLoader.loadSync("health.proto", { includeDirs: [await healthProtoDir()], enums: String });
    const Health = (grpc.loadPackageDefinition(definition).grpc as any).health.v1.Health;
    const client = new Health(server.app.address, grpc.credentials.createInsecure());
    try {
      for (const service of ["", "vitrine.v1.TelemetryService", "vitrine.v1.PlacementService"]) {
        const response: { status: string } = await new Promise((resolve, reject) =>
          client.check({ service }, (e: Error | null, r: { status: string }) => (e ? reject(e) : resolve(r))),
        );
        assert.equal(response.status, "SERVING");
      }
    } finally {
      client.close();
    }
  });

  it("lists every Vitrine service through server reflection", async () => {
    const definition = protoLoader.loadSync("grpc/reflection/v1/reflection.proto", { includeDirs: [await reflectionProtoDir()] });
    const Reflection = (grpc.loadPackageDefinition(definition).grpc as any).reflection.v1.ServerReflection;
    const client = new Reflection(server.app.address, grpc.credentials.createInsecure());
    try {
      const names: string[] = await new Promise((resolve, reject) => {
        const stream = client.ServerReflectionInfo();
        stream.on("data", (response: { listServicesResponse?: { service: { name: string }[] } }) => {
          resolve(response.listServicesResponse!.service.map((s) => s.name));
          stream.end();
        });
        stream.on("error", reject);
        stream.write({ listServices: "" });
      });
      for (const service of ["TelemetryService", "RecommendationService", "PlacementService", "InsightsService", "PrivacyService"]) {
        assert.ok(names.includes(`vitrine.v1.${service}`), `${service} missing from ${names.join(", ")}`);
      }
      assert.ok(names.includes("grpc.health.v1.Health"));
    } finally {
      client.close();
    }
  });

  describe("authentication", () => {
    it("refuses a call without a key with UNAUTHENTICATED", async () => {
      const client = server.client(InsightsServiceClient);
      await expectCode(call(client.getModelStatus.bind(client), {}), status.UNAUTHENTICATED);
    });

    it("refuses a malformed or unknown key with UNAUTHENTICATED", async () => {
      const client = server.client(InsightsServiceClient);
      for (const key of ["nonsense", "vk_000000000000_" + "A".repeat(43)]) {
        const metadata = new Metadata();
        metadata.set("x-api-key", key);
        await expectCode(call(client.getModelStatus.bind(client), {}, metadata), status.UNAUTHENTICATED);
      }
    });

    it("refuses a revoked key with UNAUTHENTICATED", async () => {
      const metadata = server.metadataFor(["designer"]);
      const keyId = String(metadata.get("x-api-key")[0]).split("_")[1];
      assert.ok(server.app.keys.revokeKey(keyId, new Date()));
      const client = server.client(InsightsServiceClient);
      await expectCode(call(client.getModelStatus.bind(client), {}, metadata), status.UNAUTHENTICATED);
    });

    it("refuses a client key on a designer RPC with PERMISSION_DENIED", async () => {
      const client = server.client(InsightsServiceClient);
      await expectCode(call(client.getModelStatus.bind(client), {}, server.metadataFor(["client"])), status.PERMISSION_DENIED);
    });

    it("refuses a designer key on an admin RPC with PERMISSION_DENIED", async () => {
      const client = server.client(PrivacyServiceClient);
      await expectCode(call(client.forgetPlayer.bind(client), { playerId: "p1" }, server.metadataFor(["designer"])), status.PERMISSION_DENIED);
    });

    it("accepts the key as an authorization bearer token too", async () => {
      const key = String(server.metadataFor(["designer"]).get("x-api-key")[0]);
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${key}`);
      const client = server.client(InsightsServiceClient);
      const code = await call(client.getModelStatus.bind(client), {}, metadata).then(
        () => status.OK,
        (e: ServiceError) => e.code,
      );
      assert.ok(code !== status.UNAUTHENTICATED && code !== status.PERMISSION_DENIED, status[code]);
    });
  });
});

async function healthProtoDir(): Promise<string> {
  const { protoPath } = await import("grpc-health-check");
  return protoPath.slice(0, protoPath.lastIndexOf("/"));
}

async function reflectionProtoDir(): Promise<string> {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const main = require.resolve("@grpc/reflection");
  return main.replace(/src\/index\.js$/, "proto");
}
